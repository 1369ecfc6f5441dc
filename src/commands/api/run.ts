import { readFile } from 'node:fs/promises';
import type { ApiResponse } from '../../api/client.js';
import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { InvalidInputError, UsageError } from '../../errors.js';
import { projectFields } from '../../output/fields.js';
import { toJson } from '../../output/format-json.js';
import { createRenderer, type OutputFormat } from '../../output/renderer.js';
import { writeText } from '../../output/sink.js';
import { withSession } from '../../session.js';
import { fieldList } from '../output-options.js';
import { parseFieldSpecs, toBody, toQuery } from './fields.js';
import { followPages } from './pages.js';

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
/** Methods whose fields go to the query string; the rest carry a JSON body. */
const QUERY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export interface ApiCommandOptions extends GlobalOptions {
  field?: string[];
  rawField?: string[];
  input?: string;
  paginate?: boolean;
  include?: boolean;
  output: OutputFormat;
  fields?: string;
  header: boolean;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** The path relative to the API URL; a full URL is refused so the key only ever goes to the profile's server. */
export function apiPath(raw: string, baseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
    throw new UsageError(`"${raw}" is a URL; give a path relative to the API URL, such as visits or /visits/ID`, 'Use --api-url or a profile to choose the server.');
  }
  let path = raw.replace(/^\/+/, '');
  // Also accept the path as the reference prints it, /api/v2/visits.
  const basePath = new URL(baseUrl).pathname.replace(/^\/+|\/+$/g, '');
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length).replace(/^\/+/, '');
  if (path === '') throw new UsageError('the path is empty; for example: ljit api GET visits');
  return path;
}

function parseJsonInput(text: string, from: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (err) {
    throw new InvalidInputError(`${from} is not valid JSON: ${(err as Error).message}`, 'Nothing was sent.');
  }
}

/** What the records formats show of a single answer: the list, the record, or else the meta counts. */
function recordsOf(body: ApiResponse['body']): Record<string, unknown>[] {
  const { data, meta } = body;
  if (Array.isArray(data)) return (data as unknown[]).map((d) => (d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : { value: d }));
  if (data !== null && typeof data === 'object') return [data as Record<string, unknown>];
  return meta ? [meta] : [];
}

export async function apiRun(ctx: Context, methodArg: string, pathArg: string, opts: ApiCommandOptions): Promise<void> {
  const method = methodArg.toUpperCase();
  if (!(API_METHODS as readonly string[]).includes(method)) throw new UsageError(`unknown method "${methodArg}"; use one of ${API_METHODS.join(', ')}`);
  if (opts.paginate && method !== 'GET') throw new UsageError('--paginate follows list pages, so it needs GET');
  if (opts.input !== undefined && (method === 'GET' || method === 'HEAD')) throw new UsageError(`--input sends a body, which ${method} cannot carry`);

  let stdinUsed = false;
  const readStdin = async () => {
    if (stdinUsed) throw new UsageError('stdin can be read only once (by --input - or one @- field)');
    stdinUsed = true;
    return readAll(ctx.io.stdin);
  };
  const specs = await parseFieldSpecs(opts.field ?? [], opts.rawField ?? [], { readStdin });
  let body: unknown;
  let query: Record<string, string> = {};
  if (opts.input !== undefined) {
    const from = opts.input === '-' ? 'stdin' : opts.input;
    let text: string;
    try {
      text = opts.input === '-' ? await readStdin() : await readFile(opts.input, 'utf8');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new InvalidInputError(`cannot read ${from}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    body = parseJsonInput(text, from);
    query = toQuery(specs); // as gh api: with a raw body, fields become query parameters
  } else if (QUERY_METHODS.has(method)) {
    query = toQuery(specs);
  } else if (specs.length > 0) {
    body = toBody(specs);
  }

  const fields = fieldList(opts.fields);
  await withSession(ctx, opts, async ({ client }) => {
    const path = apiPath(pathArg, client.baseUrl);
    const include = (res: ApiResponse) => {
      if (!opts.include) return;
      const lines = [`HTTP ${res.status}`];
      if (res.rate.remaining !== undefined) lines.push(`X-RateLimit-Remaining: ${res.rate.remaining}`);
      if (res.rate.resetMs !== undefined) lines.push(`X-Rate-Limit-Reset: ${Math.ceil(res.rate.resetMs / 1000)}`);
      ctx.io.stderr.write(`${lines.join('\n')}\n\n`);
    };
    const renderer = () =>
      createRenderer({ format: opts.output, io: ctx.io, color: opts.color, env: ctx.env, header: opts.header, escapeFormulas: false, kind: 'records', ...(fields ? { fields } : {}) });

    if (opts.paginate) {
      const out = renderer();
      for await (const record of followPages(client, path, query, { signal: ctx.signal, onResponse: include })) await out.write(record);
      await out.end();
      return;
    }

    const res = await client.request(method, path, { query, ...(body !== undefined ? { body } : {}), signal: ctx.signal });
    include(res);
    if (opts.output === 'json') {
      const shown = fields ? projectFields(res.body, fields) : res.body;
      await writeText(ctx.io.stdout, `${toJson(shown, ctx.io.stdoutIsTTY ? 2 : undefined)}\n`);
      return;
    }
    const out = renderer();
    for (const record of recordsOf(res.body)) await out.write(record);
    await out.end();
  });
}
