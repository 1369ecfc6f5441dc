import { addVisits, deleteVisit, errorReply, getVisit, listVisits, updateVisit, type HandlerContext, type Reply } from './handlers.js';
import { formatBytes, type Body } from './http.js';

export const API_BASE = '/api/v2';

const COLLECTION_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'];
const ITEM_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

type Route = { kind: 'collection' } | { kind: 'item'; _id: string };

function matchRoute(pathname: string): Route | undefined {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === `${API_BASE}/visits`) return { kind: 'collection' };
  const m = /^\/api\/v2\/visits\/([^/]+)$/.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return { kind: 'item', _id: decodeURIComponent(m[1]) };
  } catch {
    return undefined;
  }
}

export interface Request {
  method: string;
  url: URL;
  /** The key presented, if any. */
  key: string | undefined;
  /** The key's company, when the key is known. */
  companyId: string | undefined;
  body: Body;
}

export interface RouteDeps {
  context: (companyId: string) => HandlerContext;
  maxBodyBytes: number;
}

/**
 * Routing before authentication: an unknown path is 404 and a wrong method 405 whoever asks; then the
 * key (401), then the body (413, 400), then the handler.
 */
export function routeRequest(deps: RouteDeps, req: Request): Reply {
  const r = matchRoute(req.url.pathname);
  if (!r) return errorReply(404, `no such endpoint: ${req.method} ${req.url.pathname} (the sandbox serves ${API_BASE}/visits and ${API_BASE}/visits/{_id})`);
  const allowed = r.kind === 'collection' ? COLLECTION_METHODS : ITEM_METHODS;
  const allow = allowed.join(', ');
  if (!allowed.includes(req.method)) return { ...errorReply(405, `method ${req.method} is not allowed on ${req.url.pathname}; allowed: ${allow}`), headers: { Allow: allow } };
  if (req.method === 'OPTIONS') {
    const cors = { 'Access-Control-Allow-Methods': allow, 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '600' };
    return { status: 204, body: undefined, headers: { Allow: allow, ...cors } };
  }
  if (req.key === undefined) return errorReply(401, 'missing API key: send the header "Authorization: Bearer <key>" or the query parameter ?API_KEY=<key>');
  if (req.companyId === undefined) return errorReply(401, 'invalid API key');
  const hc = deps.context(req.companyId);
  if (req.method === 'GET' || req.method === 'HEAD') return r.kind === 'collection' ? listVisits(hc, req.url.searchParams) : getVisit(hc, r._id);
  if (req.method === 'DELETE' && r.kind === 'item') return deleteVisit(hc, r._id);

  if (req.body.tooLarge) return errorReply(413, `request body is larger than ${formatBytes(deps.maxBodyBytes)}; send fewer visits per request`);
  if (req.body.text.trim() === '') return errorReply(400, 'request body is empty; expected JSON (Content-Type: application/json)');
  let json: unknown;
  try {
    // A byte-order mark (Windows editors, PowerShell) is not an error in the JSON itself.
    json = JSON.parse(req.body.text.charCodeAt(0) === 0xfeff ? req.body.text.slice(1) : req.body.text);
  } catch (err) {
    return errorReply(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  return r.kind === 'collection' ? addVisits(hc, json) : updateVisit(hc, r._id, json);
}
