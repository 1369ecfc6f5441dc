import { readFile } from 'node:fs/promises';
import { updateVisit } from '../../api/visits.js';
import type { GlobalOptions } from '../../cli/globals.js';
import { readAll } from '../../cli/prompt.js';
import type { Context } from '../../context.js';
import { AuthError, InterruptedError, NotFoundError, PartialFailureError, UsageError } from '../../errors.js';
import { oneLine } from '../../output/sanitize.js';
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
  writeJsonResult,
  type ItemResult,
} from './bulk.js';
import { lookupTargets, readTargets, type Target } from './targets.js';
import { buildPatch, changesFor, formatChanges, validatePatch, type PatchFlags } from './update-patch.js';

export interface UpdateCommandOptions extends GlobalOptions, PatchFlags {
  erpId?: string[];
  dryRun?: boolean;
  output: 'text' | 'json';
}

export const UPDATE_OUTCOMES = ['updated', 'unchanged', 'would-update', 'not-found', 'failed', 'interrupted', 'not-sent'] as const;
type Outcome = (typeof UPDATE_OUTCOMES)[number];

interface Row {
  result: ItemResult & { outcome: Outcome };
  /** The error behind a failure, rethrown as is when it was the only visit. */
  error?: unknown;
  record?: Record<string, unknown>;
}

function baseResult(t: Target, _id: string | null, outcome: Outcome): ItemResult & { outcome: Outcome } {
  return { _id, ...(t.kind === 'erp' ? { erpId: t.erpId } : {}), outcome };
}

export async function updateRun(ctx: Context, args: readonly string[], opts: UpdateCommandOptions): Promise<void> {
  const startedAt = ctx.clock.now();
  if (opts.data === '@-' && args.includes('-')) throw new UsageError('stdin can carry the _ids (-) or the --data (@-), not both');
  // Everything about the body is settled before stdin is read or a connection is made.
  const patch = validatePatch(
    await buildPatch(opts, {
      now: startedAt,
      readData: async (file) => (file === '-' ? readAll(ctx.io.stdin) : readFile(file, 'utf8')),
    }),
  );
  const { targets } = await readTargets(ctx, { args, erpIds: opts.erpId ?? [], verb: 'update' });
  const dryRun = opts.dryRun === true;
  if (targets.length === 0) {
    if (opts.output === 'json') await writeJsonResult(ctx, { dryRun, total: 0, ...countOutcomes([], UPDATE_OUTCOMES) }, []);
    ctx.io.stderr.write('No visits to update: stdin had no _ids.\n');
    return;
  }

  await withSession(ctx, opts, async ({ client }) => {
    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    const progress = Progress.for(ctx, opts.verbose);
    const lookups = await lookupTargets(targets, { client, records: dryRun, concurrency, signal: ctx.signal, progress });
    if (ctx.signal.aborted) throw new InterruptedError('interrupted while reading the visits; nothing was updated');

    const rows: Row[] = [];
    const toSend: Row[] = [];
    const seen = new Set<string>();
    for (const t of targets) {
      const found = lookups.get(t) ?? { status: 'failed', error: new Error('not looked up') };
      const named = t.kind === 'id' ? t._id : null;
      if (found.status === 'failed') {
        rows.push({ result: { ...baseResult(t, named, 'failed'), error: errorText(found.error) }, error: found.error });
      } else if (found.status === 'not-found') {
        const error = new NotFoundError(t.kind === 'id' ? `visit ${t._id} not found` : found.message);
        rows.push({ result: { ...baseResult(t, named, 'not-found'), error: found.message }, error });
      } else if (!seen.has(found._id)) {
        // Named twice (by _id and by ERP id): one PUT is enough.
        seen.add(found._id);
        const row: Row = { result: baseResult(t, found._id, 'updated'), ...(found.record ? { record: found.record } : {}) };
        rows.push(row);
        toSend.push(row);
      }
    }

    if (dryRun) {
      for (const row of toSend) {
        const changes = changesFor(row.record ?? {}, patch);
        row.result.outcome = changes.length > 0 ? 'would-update' : 'unchanged';
        row.result.changes = changes;
      }
    } else {
      progress.start('Updating', toSend.length);
      const settled = await runBulk(toSend, (row) => updateVisit(client, row.result._id ?? '', patch, ctx.signal), {
        concurrency,
        signal: ctx.signal,
        progress,
        fatal: (err) => err instanceof AuthError,
      });
      progress.clear();
      settled.forEach((s, i) => {
        const row = toSend[i];
        if (!row) return;
        // updatedRecords 0 with a 200: the server found nothing to change (a gone visit answers 404).
        if (s.ok) row.result.outcome = s.value > 0 ? 'updated' : 'unchanged';
        else {
          Object.assign(row.result, failedItem(s, 'updated', 'not-found'));
          row.error = s.error;
        }
      });
    }

    const results = rows.map((r) => r.result);
    const counts = countOutcomes(results, UPDATE_OUTCOMES);
    const totals = runTotals(client.stats, startedAt, ctx.clock.now());

    if (dryRun && opts.output === 'text') await writeDryRun(ctx, toSend);
    if (opts.output === 'json') await writeJsonResult(ctx, { dryRun, total: results.length, ...counts, ...totals }, results);

    const bad = results.filter((r) => r.outcome === 'not-found' || r.outcome === 'failed' || r.outcome === 'interrupted' || r.outcome === 'not-sent');
    const single = rows.length === 1 ? rows[0] : undefined;
    if (opts.output === 'text' || ctx.io.stderrIsTTY) {
      // One visit that failed is told by the error itself; a summary block around it would only repeat it.
      if (!(single && bad.length === 1)) ctx.io.stderr.write(summaryText(results, counts, totals, dryRun));
    }

    if (ctx.signal.aborted || results.some((r) => r.outcome === 'interrupted' || r.outcome === 'not-sent')) {
      const left = results.filter((r) => r.outcome === 'interrupted' || r.outcome === 'not-sent').length;
      throw new InterruptedError(`interrupted: ${plural(left, 'visit')} not updated`, 'Run the same command again to finish: an update sent twice does no harm.');
    }
    if (single && bad.length === 1) throw single.error instanceof Error ? single.error : new Error(single.result.error ?? 'failed');
    if (bad.length > 0) throw new PartialFailureError(`${fmt(bad.length)} of ${plural(results.length, 'visit')} ${dryRun ? 'could not be checked' : 'were not updated'} (listed above)`);
  });
}

async function writeDryRun(ctx: Context, rows: readonly Row[]): Promise<void> {
  for (const row of rows) {
    const r = row.record ?? {};
    const head = [row.result._id, r.date, r.docNo, r.customer].filter((v) => typeof v === 'string' && v !== '').map((v) => oneLine(v as string));
    const changes = row.result.changes ?? [];
    const body = changes.length > 0 ? formatChanges(changes) : ['  (no change)'];
    await writeText(ctx.io.stdout, `${head.join('  ')}\n${body.join('\n')}\n`);
  }
}

function summaryText(results: readonly ItemResult[], counts: Record<string, number>, totals: ReturnType<typeof runTotals>, dryRun: boolean): string {
  const n = (k: Outcome) => counts[outcomeKey(k)] ?? 0;
  const total = results.length;
  const elapsed = elapsedText(totals.elapsedMs);
  if (!dryRun && total === 1 && n('updated') + n('unchanged') === 1) {
    const id = results[0]?._id ?? '';
    return `${n('updated') === 1 ? 'Updated' : 'No change to'} visit ${oneLine(id)} (${plural(totals.requests, 'request')}, ${elapsed}).\n`;
  }
  const title = dryRun
    ? `Dry run: ${fmt(n('would-update'))} of ${plural(total, 'visit')} would change; nothing was sent (${elapsed})`
    : `Updated ${fmt(n('updated'))} of ${plural(total, 'visit')} (${elapsed})`;
  const rows: [string, string][] = [];
  if (dryRun) rows.push(['would change', fmt(n('would-update'))]);
  else rows.push(['updated', fmt(n('updated'))]);
  if (n('unchanged') > 0) rows.push(['unchanged', fmt(n('unchanged'))]);
  if (n('not-found') > 0) rows.push(['not found', fmt(n('not-found'))]);
  if (n('failed') > 0) rows.push(['failed', fmt(n('failed'))]);
  if (n('interrupted') > 0) rows.push(['in flight', `${fmt(n('interrupted'))} (interrupted: may or may not be updated)`]);
  if (n('not-sent') > 0) rows.push(['not sent', `${fmt(n('not-sent'))} (interrupted)`]);
  rows.push([...requestsRow(totals)]);
  return formatSummary({
    title,
    rows,
    // Those never sent are a count above; a list of hundreds would bury the failures.
    failures: results.filter((r) => r.outcome === 'not-found' || r.outcome === 'failed' || r.outcome === 'interrupted'),
    failuresHeading: dryRun ? 'Could not check:' : 'Not updated:',
  });
}
