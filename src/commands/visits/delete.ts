import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Visit } from '../../api/schemas.js';
import { deleteVisit } from '../../api/visits.js';
import type { GlobalOptions } from '../../cli/globals.js';
import { promptConfirm } from '../../cli/prompt.js';
import type { Context } from '../../context.js';
import { AuthError, ExitCode, InterruptedError, LjitError, NotFoundError, PartialFailureError, UsageError } from '../../errors.js';
import { sanitize } from '../../output/sanitize.js';
import { writeText } from '../../output/sink.js';
import { DEFAULT_CONCURRENCY, withSession } from '../../session.js';
import {
  failedItem,
  countOutcomes,
  elapsedText,
  errorText,
  fmt,
  formatSummary,
  outcomeKey,
  plural,
  Progress,
  requestsRow,
  runBulk,
  runTotals,
  visitLines,
  writeJsonResult,
  type ItemResult,
} from './bulk.js';
import { lookupTargets, readTargets, targetLabel, type Target } from './targets.js';

export interface DeleteCommandOptions extends GlobalOptions {
  erpId?: string[];
  yes?: boolean;
  dryRun?: boolean;
  strict?: boolean;
  backup?: string;
  output: 'text' | 'json';
}

export const DELETE_OUTCOMES = ['deleted', 'already-gone', 'would-delete', 'cancelled', 'failed', 'interrupted', 'not-sent'] as const;
type Outcome = (typeof DELETE_OUTCOMES)[number];

interface Row {
  target: Target;
  result: ItemResult & { outcome: Outcome };
  error?: unknown;
  record?: Visit;
}

/** Visits listed before the question; more would scroll the question off the screen. */
const CONFIRM_PREVIEW = 30;

export function defaultBackupPath(ctx: Context): string {
  // Milliseconds in the name: two deletes in one second must not share a file.
  const stamp = new Date(ctx.clock.now()).toISOString().replace(/[:.]/g, '-');
  return join(ctx.paths.data, 'backups', `deleted-${stamp}.ndjson`);
}

/**
 * The records as the server returned them, one JSON object a line: `visits import FILE` reads it back (it
 * ignores _id and the other server fields and upserts by ERP id). Appended, so naming an existing --backup
 * never loses an earlier one; flushed to disk before the first DELETE leaves.
 */
async function writeBackup(file: string, records: readonly Visit[]): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(file, 'a', 0o600);
    try {
      await handle.writeFile(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new LjitError(`cannot write the backup ${file}: ${(err as Error).message}; nothing was deleted`, ExitCode.unexpected, 'Choose another file with --backup FILE.');
  }
}

export async function deleteRun(ctx: Context, args: readonly string[], opts: DeleteCommandOptions): Promise<void> {
  const startedAt = ctx.clock.now();
  const dryRun = opts.dryRun === true;
  const ask = opts.yes !== true && !dryRun;
  // Refuse before reading stdin or connecting: the answer cannot change once the work has started.
  if (ask && args.includes('-')) {
    throw new UsageError('the visits come from stdin, so stdin cannot answer "are you sure?": pass --yes to delete them', 'Check the list first with --dry-run.');
  }
  if (ask && !ctx.io.stdinIsTTY) {
    throw new UsageError('refusing to delete without confirmation: stdin is not a terminal; pass --yes to delete anyway', 'Check the list first with --dry-run.');
  }
  const { targets } = await readTargets(ctx, { args, erpIds: opts.erpId ?? [], verb: 'delete' });
  if (targets.length === 0) {
    if (opts.output === 'json') await writeJsonResult(ctx, { dryRun, total: 0, ...countOutcomes([], DELETE_OUTCOMES), backup: null }, []);
    ctx.io.stderr.write('No visits to delete: stdin had no _ids.\n');
    return;
  }

  await withSession(ctx, opts, async ({ client }) => {
    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    const progress = Progress.for(ctx, opts.verbose);
    // The records are read first whatever happens next: to show them, and to back them up before deleting.
    const lookups = await lookupTargets(targets, { client, records: true, concurrency, signal: ctx.signal, progress });
    if (ctx.signal.aborted) throw new InterruptedError('interrupted while reading the visits; nothing was deleted');

    const rows: Row[] = [];
    const doomed: Row[] = [];
    const seen = new Set<string>();
    for (const target of targets) {
      const found = lookups.get(target) ?? { status: 'failed', error: new Error('not looked up') };
      const base = { _id: target.kind === 'id' ? target._id : null, ...(target.kind === 'erp' ? { erpId: target.erpId } : {}) };
      if (found.status === 'failed') {
        // Never delete what could not be backed up.
        rows.push({ target, result: { ...base, outcome: 'failed', error: `not deleted, could not be read: ${errorText(found.error)}` }, error: found.error });
      } else if (found.status === 'not-found') {
        const error = new NotFoundError(target.kind === 'id' ? `visit ${target._id} not found` : found.message);
        rows.push({ target, result: { ...base, outcome: 'already-gone', error: found.message }, error });
      } else if (found.record && !seen.has(found._id)) {
        seen.add(found._id);
        const row: Row = { target, result: { ...base, _id: found._id, outcome: dryRun ? 'would-delete' : 'deleted' }, record: found.record };
        rows.push(row);
        doomed.push(row);
      }
    }
    const records = doomed.map((r) => r.record).filter((r): r is Visit => r !== undefined);

    let backup: string | null = null;
    let cancelled = false;
    if (dryRun) {
      if (opts.output === 'text' && records.length > 0) await writeText(ctx.io.stdout, `${visitLines(records, '').join('\n')}\n`);
    } else if (doomed.length > 0) {
      if (ask) cancelled = !(await confirm(ctx, rows, records));
      if (cancelled) {
        for (const row of doomed) row.result.outcome = 'cancelled';
      } else {
        backup = resolve(opts.backup ?? defaultBackupPath(ctx));
        await writeBackup(backup, records);
        ctx.io.stderr.write(`Saved ${plural(records.length, 'visit')} to ${sanitize(backup)} (restore: ljit visits import ${sanitize(backup)})\n`);
        progress.start('Deleting', doomed.length);
        const settled = await runBulk(doomed, (row) => deleteVisit(client, row.result._id ?? '', ctx.signal), {
          concurrency,
          signal: ctx.signal,
          progress,
          fatal: (err) => err instanceof AuthError,
        });
        progress.clear();
        settled.forEach((s, i) => {
          const row = doomed[i];
          if (!row) return;
          if (s.ok) {
            // deletedRecords 0: someone else deleted it between our read and our DELETE.
            row.result.outcome = s.value > 0 ? 'deleted' : 'already-gone';
          } else {
            Object.assign(row.result, failedItem(s, 'deleted', 'already-gone'));
            row.error = s.error;
          }
        });
      }
    }

    const results = rows.map((r) => r.result);
    const counts = countOutcomes(results, DELETE_OUTCOMES);
    const totals = runTotals(client.stats, startedAt, ctx.clock.now());
    if (opts.output === 'json') await writeJsonResult(ctx, { dryRun, total: results.length, ...counts, ...totals, backup }, results);

    const strict = opts.strict === true;
    const isBad = (r: ItemResult) => r.outcome === 'failed' || r.outcome === 'interrupted' || r.outcome === 'not-sent' || (strict && r.outcome === 'already-gone');
    const bad = rows.filter((r) => isBad(r.result));
    const single = rows.length === 1 ? rows[0] : undefined;
    const failedAlone = single !== undefined && bad.length === 1;
    if ((opts.output === 'text' || ctx.io.stderrIsTTY) && !failedAlone) {
      ctx.io.stderr.write(summaryText(results, counts, totals, { dryRun, cancelled, strict, backup }));
    }

    if (ctx.signal.aborted || results.some((r) => r.outcome === 'interrupted' || r.outcome === 'not-sent')) {
      const left = results.filter((r) => r.outcome === 'interrupted' || r.outcome === 'not-sent').length;
      throw new InterruptedError(
        `interrupted: ${plural(left, 'visit')} not deleted`,
        'Run the same command again to finish: visits already deleted are reported as already gone.',
      );
    }
    if (failedAlone) throw single.error instanceof Error ? single.error : new Error(single.result.error ?? 'failed');
    if (bad.length > 0) throw new PartialFailureError(`${fmt(bad.length)} of ${plural(results.length, 'visit')} ${strict ? 'were not deleted by this run' : 'could not be deleted'} (listed above)`);
  });
}

async function confirm(ctx: Context, rows: readonly Row[], records: readonly Visit[]): Promise<boolean> {
  const shown = records.slice(0, CONFIRM_PREVIEW);
  const lines = [`About to delete ${plural(records.length, 'visit')}:`, ...visitLines(shown)];
  if (records.length > shown.length) lines.push(`  ... and ${fmt(records.length - shown.length)} more (--dry-run lists them all)`);
  const gone = rows.filter((r) => r.result.outcome === 'already-gone');
  if (gone.length > 0) lines.push(`Already gone (not found): ${gone.map((r) => sanitize(targetLabel(r.target))).join(', ')}`);
  ctx.io.stderr.write(`${lines.join('\n')}\n`);
  const yes = await promptConfirm(ctx.io, `Delete ${records.length === 1 ? 'this visit' : `these ${fmt(records.length)} visits`}?`);
  if (!yes) ctx.io.stderr.write('Nothing was deleted.\n');
  return yes;
}

interface SummaryFlags {
  dryRun: boolean;
  backup: string | null;
  cancelled: boolean;
  strict: boolean;
}

function summaryText(results: readonly ItemResult[], counts: Record<string, number>, totals: ReturnType<typeof runTotals>, f: SummaryFlags): string {
  const n = (k: Outcome) => counts[outcomeKey(k)] ?? 0;
  const total = results.length;
  const elapsed = elapsedText(totals.elapsedMs);
  if (f.cancelled) return '';
  const only = total === 1 ? results[0] : undefined;
  if (only && !f.dryRun && (only.outcome === 'deleted' || only.outcome === 'already-gone')) {
    const name = sanitize(only._id ?? `ERP id ${only.erpId ?? '?'}`);
    return only.outcome === 'deleted'
      ? `Deleted visit ${name} (${plural(totals.requests, 'request')}, ${elapsed}).\n`
      : `Visit ${name} is already gone (${sanitize(only.error ?? 'not found')}); nothing to delete.\n`;
  }
  const title = f.dryRun
    ? `Dry run: would delete ${plural(n('would-delete'), 'visit')}; nothing was deleted (${elapsed})`
    : `Deleted ${fmt(n('deleted'))} of ${plural(total, 'visit')} (${elapsed})`;
  const rows: [string, string][] = [[f.dryRun ? 'would delete' : 'deleted', fmt(f.dryRun ? n('would-delete') : n('deleted'))]];
  if (n('already-gone') > 0 || !f.dryRun) rows.push(['already gone', fmt(n('already-gone'))]);
  rows.push(['failed', fmt(n('failed'))]);
  if (n('interrupted') > 0) rows.push(['in flight', `${fmt(n('interrupted'))} (interrupted: may or may not be deleted)`]);
  if (n('not-sent') > 0) rows.push(['not sent', `${fmt(n('not-sent'))} (interrupted)`]);
  rows.push([...requestsRow(totals)]);
  if (f.backup) rows.push(['backup', sanitize(f.backup)]);
  // Those never sent are a count above; a list of hundreds would bury the failures.
  const failures = results.filter((r) => r.outcome === 'failed' || r.outcome === 'interrupted' || (f.strict && r.outcome === 'already-gone'));
  return formatSummary({ title, rows, failures, failuresHeading: 'Not deleted:' });
}
