import type { ApiClient } from '../../api/client.js';
import { fetchPage, findByErpId, getVisit } from '../../api/visits.js';
import { paginate, PAGE_SIZE, type Page } from '../../api/paginate.js';
import type { Visit } from '../../api/schemas.js';
import { readAll } from '../../cli/prompt.js';
import type { Context } from '../../context.js';
import { AuthError, NotFoundError, UsageError } from '../../errors.js';
import { oneLine } from '../../output/sanitize.js';
import { runBulk, type Progress } from './bulk.js';

/**
 * Which visits a bulk command acts on: `_id`s from the arguments, `-` for stdin (one `_id` a line, NDJSON or
 * a JSON array as `visits list` prints them, or its piped table), and `--erp-id`s. Then the records, fetched
 * as cheaply as the API allows.
 */

export type Target = { kind: 'id'; _id: string } | { kind: 'erp'; erpId: string };

export interface TargetSet {
  targets: Target[];
  /** `-` was given: stdin is spent, so it cannot also answer a prompt. */
  fromStdin: boolean;
}

/** How a target is named to a person: its `_id`, or `ERP id 123`. */
export function targetLabel(t: Target): string {
  return t.kind === 'id' ? t._id : `ERP id ${t.erpId}`;
}

function targetKey(t: Target): string {
  return t.kind === 'id' ? `_id:${t._id}` : `erp:${t.erpId}`;
}

// Meteor ids are 17 characters, but nothing says the real service keeps that, so only refuse what cannot be
// one: blanks, controls and URL syntax would address some other resource.
const PLAUSIBLE_ID = /^[^\s/?#%\\]{1,64}$/;

function checkId(id: string, where: string): string {
  if (!PLAUSIBLE_ID.test(id)) {
    throw new UsageError(
      `${where}: ${JSON.stringify(oneLine(id).slice(0, 60))} is not a visit _id`,
      'Give one _id per line, or pipe the output of "ljit visits list -o ndjson".',
    );
  }
  return id;
}

function idOfRecord(value: unknown, where: string): string {
  if (typeof value === 'string') return checkId(value.trim(), where);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>)._id;
    if (typeof id === 'string') return checkId(id.trim(), where);
    throw new UsageError(`${where}: the record has no "_id" field`, 'Records as printed by "ljit visits list -o ndjson" carry one.');
  }
  throw new UsageError(`${where}: expected a visit _id or a record with "_id" (got ${Array.isArray(value) ? 'a list' : typeof value})`);
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The `_id`s in text read from stdin, in order. Accepts a JSON array or a single JSON record (`-o json`),
 * NDJSON (`-o ndjson`), a tab-separated table with an `_id` or `ID` column (a piped `visits list`), or
 * plain `_id`s one a line. Blank lines and `#` comments are skipped.
 */
export function parseTargetText(text: string): string[] {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const whole = tryJson(trimmed);
    if (whole.ok) {
      if (Array.isArray(whole.value)) return whole.value.map((v, i) => idOfRecord(v, `stdin item ${i + 1}`));
      // One record, or NDJSON of exactly one line.
      return [idOfRecord(whole.value, 'stdin')];
    }
    if (trimmed.startsWith('[')) throw new UsageError('stdin starts like a JSON array but is not valid JSON');
  }
  const lines = body.split(/\r?\n/);
  const ids: string[] = [];
  let column: number | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const where = `stdin line ${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (ids.length === 0 && column === undefined) {
      const cells = raw.split('\t').map((c) => c.trim());
      const at = cells.findIndex((c) => c === '_id' || c === 'ID');
      if (at >= 0) {
        column = at;
        return;
      }
      if (cells.length > 1) {
        throw new UsageError(`${where}: a table without an _id column`, 'Pipe "ljit visits list -o ndjson", or add _id to --fields.');
      }
    }
    if (column !== undefined) {
      ids.push(checkId(raw.split('\t')[column]?.trim() ?? '', where));
      return;
    }
    if (line.startsWith('{') || line.startsWith('"')) {
      const parsed = tryJson(line);
      if (!parsed.ok) throw new UsageError(`${where}: not valid JSON`);
      ids.push(idOfRecord(parsed.value, where));
      return;
    }
    ids.push(checkId(line, where));
  });
  return ids;
}

export interface ReadTargetsOptions {
  /** Positional arguments: `_id`s and at most one `-`. */
  args: readonly string[];
  erpIds: readonly string[];
  /** For messages: "update", "delete". */
  verb: string;
}

/** The targets in the order given, duplicates dropped (a second PUT or DELETE of one visit is waste). */
export async function readTargets(ctx: Context, opts: ReadTargetsOptions): Promise<TargetSet> {
  const dashes = opts.args.filter((a) => a === '-').length;
  if (dashes > 1) throw new UsageError('"-" (read _ids from stdin) may be given once');
  const targets: Target[] = [];
  for (const arg of opts.args) {
    if (arg === '-') {
      if (ctx.io.stdinIsTTY) ctx.io.stderr.write('Reading visit _ids from the terminal, one a line; end with Ctrl-D.\n');
      for (const _id of parseTargetText(await readAll(ctx.io.stdin))) targets.push({ kind: 'id', _id });
    } else {
      targets.push({ kind: 'id', _id: checkId(arg.trim(), 'argument') });
    }
  }
  for (const erp of opts.erpIds) {
    const erpId = erp.trim();
    if (!/^\d+$/.test(erpId)) throw new UsageError(`--erp-id ${JSON.stringify(erp)}: an ERP id is a whole number`);
    targets.push({ kind: 'erp', erpId });
  }
  if (targets.length === 0 && dashes === 0) {
    throw new UsageError(`give the visits to ${opts.verb}: _ids, --erp-id <id>, or - to read _ids from stdin`, `Example: ljit visits list --skipped 1 -o ndjson | ljit visits ${opts.verb} - ...`);
  }
  const seen = new Set<string>();
  return {
    targets: targets.filter((t) => {
      const key = targetKey(t);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    fromStdin: dashes > 0,
  };
}

export type Lookup = { status: 'found'; _id: string; record: Visit | undefined } | { status: 'not-found'; message: string } | { status: 'failed'; error: unknown };

export interface LookupOptions {
  client: ApiClient;
  /** Fetch every record (to show, diff or back up); otherwise only ERP ids are looked up. */
  records: boolean;
  concurrency: number;
  signal: AbortSignal;
  progress: Progress;
}

/** Below this many lookups one request per visit is cheap enough not to spend a request asking the total. */
const PLAN_THRESHOLD = 5;

/**
 * Records for the targets. One request per visit (GET, or the list filter for an ERP id) is the obvious way,
 * but for many visits reading the whole list costs 100 times fewer requests: 1,000 deletes in a company of
 * 1,500 visits need 15 list pages, not 1,000 GETs. The first list page tells the total, so the cheaper way
 * is chosen with one request at risk. Visits the list did not show are then asked for one by one, so a list
 * that moved under us cannot make a visit look gone.
 */
export async function lookupTargets(targets: readonly Target[], opts: LookupOptions): Promise<Map<Target, Lookup>> {
  const result = new Map<Target, Lookup>();
  const needed = targets.filter((t) => opts.records || t.kind === 'erp');
  for (const t of targets) if (t.kind === 'id' && !opts.records) result.set(t, { status: 'found', _id: t._id, record: undefined });
  if (needed.length === 0) return result;

  if (needed.length >= PLAN_THRESHOLD) {
    const first = await fetchPage(opts.client, {}, 0, opts.signal);
    const pages = Math.max(1, Math.ceil(first.meta.totalRecords / PAGE_SIZE));
    if (pages < needed.length) await scanList(first, needed, result, opts);
  }

  const rest = needed.filter((t) => !result.has(t));
  opts.progress.start('Reading visits', rest.length);
  const settled = await runBulk(rest, (t) => (t.kind === 'id' ? getVisit(opts.client, t._id, opts.signal) : findByErpId(opts.client, t.erpId, opts.signal)), {
    concurrency: opts.concurrency,
    signal: opts.signal,
    progress: opts.progress,
    fatal: (err) => err instanceof AuthError,
  });
  settled.forEach((s, i) => {
    const t = rest[i];
    if (t === undefined) return;
    if (s.ok) result.set(t, { status: 'found', _id: s.value._id, record: s.value });
    else if (s.error instanceof NotFoundError) result.set(t, { status: 'not-found', message: t.kind === 'erp' ? `no visit with ERP id ${t.erpId}` : 'not found' });
    else result.set(t, { status: 'failed', error: s.error });
  });
  opts.progress.clear();
  return result;
}

async function scanList(first: Page, needed: readonly Target[], result: Map<Target, Lookup>, opts: LookupOptions): Promise<void> {
  const byId = new Map<string, Target>();
  const byErp = new Map<string, Target>();
  for (const t of needed) {
    if (t.kind === 'id') byId.set(t._id, t);
    else byErp.set(t.erpId, t);
  }
  let firstUnused = true;
  const records = paginate({
    fetchPage: (offset) => {
      // The page that told us the total is page one of the list: reuse it rather than ask again.
      if (offset === 0 && firstUnused) {
        firstUnused = false;
        return Promise.resolve(first);
      }
      return fetchPage(opts.client, {}, offset, opts.signal);
    },
    prefetch: opts.concurrency,
  });
  const total = first.meta.totalRecords;
  opts.progress.start('Reading the visit list', total);
  let scanned = 0;
  for await (const record of records) {
    scanned += 1;
    opts.progress.tick(scanned);
    const erp = typeof record.id === 'number' || typeof record.id === 'string' ? String(record.id) : undefined;
    const t = byId.get(record._id) ?? (erp !== undefined ? byErp.get(erp) : undefined);
    if (t && !result.has(t)) result.set(t, { status: 'found', _id: record._id, record });
  }
  opts.progress.clear();
}
