import type { ClientStats } from '../../api/client.js';
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { toJson } from '../../output/format-json.js';
import { oneLine } from '../../output/sanitize.js';
import { writeText } from '../../output/sink.js';
import { displayWidth, padEnd, truncate } from '../../output/text.js';

/**
 * What `visits update` and `visits delete` share: a pool of workers over many visits, a progress line, and
 * the end of the run (a summary for people on stderr, a JSON result for scripts on stdout). The workers
 * only decide how many requests are *in flight*; when they leave is the ApiClient's rate gate's business,
 * which also shares the budget with every other ljit process using the key.
 */

/** `started: false` only after an interrupt: the item was never sent, so its state is known to be unchanged. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown; interrupted: boolean; started: boolean };

export interface BulkOptions {
  concurrency: number;
  signal: AbortSignal;
  progress?: Progress;
  /** An error that makes the rest pointless (a refused key): stop dispatching, then throw it. */
  fatal?: (err: unknown) => boolean;
}

/**
 * `work` for every item, at most `concurrency` at once, results in item order. One item failing does not stop
 * the others. After an interrupt nothing new starts; items never started, and those cut off in flight, settle
 * as interrupted.
 */
export async function runBulk<T, R>(items: readonly T[], work: (item: T) => Promise<R>, opts: BulkOptions): Promise<Settled<R>[]> {
  const results: Settled<R>[] = [];
  let next = 0;
  let done = 0;
  let fatalError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal.aborted || fatalError) return;
      const index = next++;
      if (index >= items.length) return;
      try {
        results[index] = { ok: true, value: await work(items[index] as T) };
      } catch (error) {
        results[index] = { ok: false, error, interrupted: opts.signal.aborted, started: true };
        if (!fatalError && opts.fatal?.(error)) fatalError = { error };
      }
      done += 1;
      opts.progress?.tick(done);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  opts.progress?.tick(done, true);
  if (fatalError) {
    opts.progress?.clear();
    throw fatalError.error;
  }
  return items.map((_, i) => results[i] ?? { ok: false, error: new Error('not sent: interrupted'), interrupted: true, started: false });
}

/** Redraws at most this often; a thousand lines a second on a terminal costs more than the work. */
const REDRAW_MS = 100;
/** Work that ends sooner than this shows no progress at all, rather than a flicker. */
const QUIET_MS = 300;

/**
 * `Deleting 123/1,000 (12%)` on stderr, redrawn in place with `\r`. Only on a terminal: a pipe or a CI log
 * would get a line per redraw. Off under --verbose, whose request lines would tear it.
 */
export class Progress {
  private label = '';
  private total = 0;
  private startedAt = 0;
  private lastDraw = -Infinity;
  private lastDone = -1;
  private drawn = false;

  constructor(
    private readonly ctx: Context,
    private readonly enabled: boolean,
  ) {}

  static for(ctx: Context, verbose: boolean | undefined): Progress {
    return new Progress(ctx, ctx.io.stderrIsTTY && verbose !== true && !ctx.env.CI);
  }

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.startedAt = this.ctx.clock.now();
    this.lastDraw = -Infinity;
    this.lastDone = -1;
  }

  tick(done: number, force = false): void {
    if (!this.enabled || this.total === 0 || done === this.lastDone) return;
    const now = this.ctx.clock.now();
    if (now - this.startedAt < QUIET_MS) return;
    if (!force && done < this.total && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.lastDone = done;
    const pct = Math.floor((done / this.total) * 100);
    this.ctx.io.stderr.write(`\r${this.label} ${fmt(done)}/${fmt(this.total)} (${pct}%)\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line, so what follows starts on a clean one. */
  clear(): void {
    if (!this.drawn) return;
    this.ctx.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-GB');
}

export function plural(n: number, word: string): string {
  return `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function elapsedText(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(1)} s`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** One visit's outcome, as `-o json` prints it. */
export interface ItemResult {
  /** Null when an ERP id matched no visit. */
  _id: string | null;
  erpId?: string;
  outcome: string;
  error?: string;
  changes?: FieldChange[];
}

export interface RunTotals {
  requests: number;
  retries: number;
  rateLimited: number;
  elapsedMs: number;
}

export function runTotals(stats: ClientStats, startedAt: number, now: number): RunTotals {
  return { requests: stats.requests, retries: stats.retries, rateLimited: stats.rateLimited, elapsedMs: now - startedAt };
}

/** `already-gone` → `alreadyGone`, for the summary's keys. */
export function outcomeKey(outcome: string): string {
  return outcome.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A count for every outcome the command can have (zeros included, so scripts need not guess keys). */
export function countOutcomes(results: readonly ItemResult[], outcomes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(outcomes.map((o) => [outcomeKey(o), 0]));
  for (const r of results) counts[outcomeKey(r.outcome)] = (counts[outcomeKey(r.outcome)] ?? 0) + 1;
  return counts;
}

export function resultLabel(r: ItemResult): string {
  if (r._id !== null) return r.erpId !== undefined ? `${r._id} (ERP id ${r.erpId})` : r._id;
  return `ERP id ${r.erpId ?? '?'}`;
}

export interface SummaryText {
  title: string;
  rows: readonly (readonly [label: string, value: string])[];
  /** Listed one a line with the reason, after the counts. */
  failures: readonly ItemResult[];
  failuresHeading?: string;
}

export function formatSummary(s: SummaryText): string {
  const out = [s.title];
  const width = Math.max(...s.rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of s.rows) out.push(`  ${label.padEnd(width)}${value}`);
  if (s.failures.length > 0) {
    out.push(s.failuresHeading ?? 'Failed:');
    const idWidth = Math.max(...s.failures.map((r) => oneLine(resultLabel(r)).length)) + 2;
    for (const r of s.failures) out.push(`  ${oneLine(resultLabel(r)).padEnd(idWidth)}${oneLine(r.error ?? r.outcome)}`);
  }
  return `${out.join('\n')}\n`;
}

export function requestsRow(t: RunTotals): readonly [string, string] {
  return ['requests', `${fmt(t.requests)} (${fmt(t.retries)} ${t.retries === 1 ? 'retry' : 'retries'}, ${fmt(t.rateLimited)} answered 429)`];
}

/** `{summary, results}` on stdout: the whole record of the run for a script. */
export async function writeJsonResult(ctx: Context, summary: Record<string, unknown>, results: readonly ItemResult[]): Promise<void> {
  await writeText(ctx.io.stdout, `${toJson({ summary, results }, ctx.io.stdoutIsTTY ? 2 : undefined)}\n`);
}

/**
 * Outcome and error text of an item whose request did not succeed: cut off by Ctrl-C (in flight or never
 * sent), gone (`notFound`, which each command words its own way), or failed.
 */
export function failedItem(s: Extract<Settled<unknown>, { ok: false }>, done: string, notFound: string): { outcome: string; error: string } {
  if (s.interrupted) {
    return s.started ? { outcome: 'interrupted', error: `interrupted in flight: may or may not be ${done}` } : { outcome: 'not-sent', error: 'not sent: interrupted' };
  }
  if (s.error instanceof NotFoundError) return { outcome: notFound, error: 'not found' };
  return { outcome: 'failed', error: errorText(s.error) };
}

/** The text of an error for a result line: its message, without the `ljit:` framing main() adds. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const PREVIEW_COLUMNS = [
  { header: 'DATE', width: 10, value: (r: Record<string, unknown>) => r.date },
  { header: 'DOC NO', width: 16, value: (r: Record<string, unknown>) => r.docNo },
  { header: 'CUSTOMER', width: 28, value: (r: Record<string, unknown>) => r.customer },
  { header: 'DRIVER', width: 18, value: (r: Record<string, unknown>) => (typeof r.name === 'string' && r.name.trim() !== '' ? r.name : r.driverId) },
  { header: '_ID', width: 24, value: (r: Record<string, unknown>) => r._id },
] as const;

function cell(value: unknown, width: number): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return truncate(oneLine(text), width);
}

/**
 * Visits as aligned lines (date, doc no, customer, driver, _id), header first: what a person checks before
 * saying yes. Server text is sanitized: it is about to be shown on a terminal.
 */
export function visitLines(records: readonly Record<string, unknown>[], indent = '  '): string[] {
  const rows = records.map((r) => PREVIEW_COLUMNS.map((c) => cell(c.value(r), c.width)));
  const widths = PREVIEW_COLUMNS.map((c, i) => Math.max(c.header.length, ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]) => `${indent}${cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0))).join('  ')}`;
  return [line(PREVIEW_COLUMNS.map((c) => c.header)), ...rows.map(line)];
}
