import type { ApiClient } from '../api/client.js';
import { UnavailableError } from '../errors.js';
import { sendBatch, type BisectBudget, type SendRow } from './bisect.js';
import { isAcknowledged, type BatchRecord, type BatchStatus, type Journal } from './journal.js';
import type { Progress } from './progress.js';
import type { OrderedOutcomes, RowOutcome } from './report.js';
import { collectGarbage, ROWS_PER_COLLECTION } from '../memory.js';
import type { SourceRow } from './types.js';
import type { WalkedRow } from './walk.js';

/**
 * Pass 2, sending: valid rows are cut into batches of --batch-size in file order (so batch k is the same
 * rows on every run of the same file and options: that is what --resume relies on), and up to
 * `concurrency` batches are in flight; the ApiClient's gate paces the requests. A batch is done when its
 * journal line is on disk. On Ctrl-C (the signal) no new batch starts; those in flight finish.
 */

export interface SendStats {
  rowsDone: number;
  sent: number;
  inserted: number;
  updated: number;
  /** Rows the server refused, or whose batch got no answer. */
  failed: number;
  invalid: number;
  superseded: number;
  skippedResume: number;
  /** Rows read but not sent because of Ctrl-C or a stop. */
  notSent: number;
  batches: number;
  unverifiedBatches: number;
  failedBatches: number;
  bisectRequests: number;
  interrupted: boolean;
}

export interface SendContext {
  client: ApiClient;
  journal: Journal | undefined;
  /** Batches acknowledged by an earlier run (--resume). */
  acknowledged: ReadonlyMap<number, BatchRecord>;
  sink: OrderedOutcomes;
  progress: Progress;
  total: number;
  batchSize: number;
  concurrency: number;
  signal: AbortSignal;
  useErrorRefs: boolean;
  clockNow: () => number;
}

/** 3 batches in a row without an answer: the service is down; stop instead of failing every batch. */
const CIRCUIT_BREAKER = 3;
/** Extra requests per run for finding rows the server refused without naming them (reliability.md §8.5). */
const BISECT_BUDGET = 300;

/**
 * A row of the batch being filled: one to send, or one whose outcome is already known (kept for order).
 * Only what the request and the outcome need is kept: the cells only when a rejects file wants them.
 */
type Sendable = { kind: 'send'; index: number; line: number; idText: string; visit: unknown; erpId: number; row?: SourceRow };
type Pending = Sendable | { kind: 'fixed'; outcome: RowOutcome };

/** Rows with a known outcome held in a batch before it is cut anyway (bounded memory, same cut every run). */
const MAX_FIXED_PER_BATCH = 1000;

export function emptyStats(): SendStats {
  return {
    rowsDone: 0,
    sent: 0,
    inserted: 0,
    updated: 0,
    failed: 0,
    invalid: 0,
    superseded: 0,
    skippedResume: 0,
    notSent: 0,
    batches: 0,
    unverifiedBatches: 0,
    failedBatches: 0,
    bisectRequests: 0,
    interrupted: false,
  };
}

export async function sendRows(rows: AsyncIterable<WalkedRow>, sc: SendContext): Promise<{ stats: SendStats; stopError?: Error }> {
  const stats = emptyStats();
  const budget: BisectBudget = { left: BISECT_BUDGET };
  const inFlight = new Set<Promise<void>>();
  let items: Pending[] = [];
  let toSend = 0;
  let seq = 0;
  let consecutiveFailures = 0;
  let stopError: Error | undefined;

  const stopped = (): boolean => sc.signal.aborted || stopError !== undefined;
  const done = (n: number): void => {
    stats.rowsDone += n;
    sc.progress.update(stats.rowsDone, sc.total);
  };

  /** Outcomes in file order: the fixed ones where they were, the sent ones from `outcomeOf`. */
  function merge(list: Pending[], outcomeOf: (p: Sendable, pos: number) => RowOutcome): RowOutcome[] {
    let pos = 0;
    if (!sc.sink.active) {
      // Nothing is written per row, but the rows the server refused are still named on stderr.
      const refused: RowOutcome[] = [];
      for (const p of list) {
        if (p.kind !== 'send') continue;
        const o = outcomeOf(p, pos++);
        if (o.outcome === 'failed') refused.push(o);
      }
      return refused;
    }
    return list.map((p) => (p.kind === 'fixed' ? p.outcome : outcomeOf(p, pos++)));
  }

  async function runBatch(n: number, list: Pending[]): Promise<RowOutcome[]> {
    const sendable = list.filter((p): p is Sendable => p.kind === 'send');
    const fixedCount = list.length - sendable.length;
    const sendRows: SendRow[] = sendable.map((p) => ({ index: p.index, line: p.line, erpId: p.erpId, visit: p.visit }));
    let result;
    try {
      result = await sendBatch(sc.client, sendRows, budget, { useErrorRefs: sc.useErrorRefs });
    } catch (err) {
      // Only an auth error gets here: stop the run; this batch is not journaled, so a resume sends it.
      stopError ??= err instanceof Error ? err : new Error(String(err));
      stats.notSent += sendable.length;
      done(list.length);
      return merge(list, (p) => ({ line: p.line, id: p.idText, outcome: 'not-sent', message: stopError?.message ?? '' }));
    }
    stats.bisectRequests += result.extraRequests;
    const okCount = sendable.length - result.failed.size;
    const status: BatchStatus = result.transportError ? 'failed' : result.failed.size > 0 ? 'partial' : result.unverified ? 'unverified' : 'ok';
    if (result.transportError) {
      consecutiveFailures += 1;
      stats.failedBatches += 1;
      if (consecutiveFailures >= CIRCUIT_BREAKER && !stopError) {
        stopError = new UnavailableError(`${CIRCUIT_BREAKER} batches in a row got no answer (last: ${result.transportError.message}); stopped sending`, 'The service may be down. Try again later with --resume.');
      }
    } else consecutiveFailures = 0;
    if (result.unverified) stats.unverifiedBatches += 1;
    stats.sent += sendable.length;
    stats.inserted += result.inserted;
    stats.updated += result.updated;
    stats.failed += result.failed.size;
    const first = sendable[0];
    const last = sendable[sendable.length - 1];
    const record: BatchRecord = {
      kind: 'batch',
      batch: n,
      first: first?.index ?? 0,
      last: last?.index ?? 0,
      firstLine: first?.line ?? 0,
      lastLine: last?.line ?? 0,
      count: sendable.length,
      status,
      inserted: result.inserted,
      updated: result.updated,
      failed: [...result.failed].map(([pos, message]) => ({ row: sendable[pos]?.index ?? -1, line: sendable[pos]?.line ?? 0, message })),
      at: new Date(sc.clockNow()).toISOString(),
    };
    try {
      await sc.journal?.append(record);
    } catch (err) {
      stopError ??= new Error(`cannot write the import journal ${sc.journal?.path ?? ''}: ${(err as Error).message}`);
    }
    // Per row: inserted or updated when the batch's counts say so for all its stored rows, else "ok".
    const word = okCount > 0 && result.inserted === okCount && result.updated === 0 ? 'inserted' : okCount > 0 && result.updated === okCount && result.inserted === 0 ? 'updated' : 'ok';
    const batchNote = `batch ${n + 1}: ${result.inserted} inserted, ${result.updated} updated${result.failed.size ? `, ${result.failed.size} failed` : ''}${result.unverified ? ' (the counts do not add up: unverified)' : ''}`;
    done(sendable.length + fixedCount);
    return merge(list, (p, pos) => {
      const failure = result.failed.get(pos);
      return failure !== undefined
        ? { line: p.line, id: p.idText, outcome: 'failed', message: failure, ...(p.row ? { reject: p.row } : {}) }
        : { line: p.line, id: p.idText, outcome: word, message: word === 'ok' ? batchNote : '' };
    });
  }

  async function cut(): Promise<void> {
    const list = items;
    const sending = toSend;
    items = [];
    toSend = 0;
    if (list.length === 0) return;
    if (sending === 0) {
      const outcomes = merge(list, () => {
        throw new Error('unreachable');
      });
      sc.sink.push(outcomes, outcomes.length);
      done(list.length);
      await sc.sink.room(20_000);
      return;
    }
    const n = seq;
    seq += 1;
    const ack = sc.acknowledged.get(n);
    if (ack && isAcknowledged(ack.status)) {
      // Sent and acknowledged by the interrupted run: not sent again; the rows it refused stay refused.
      const refused = new Map(ack.failed.map((f) => [f.row, f.message]));
      for (const p of list) {
        if (p.kind !== 'send') continue;
        if (refused.has(p.index)) stats.failed += 1;
        else stats.skippedResume += 1;
      }
      const outcomes = merge(list, (p): RowOutcome => {
        const message = refused.get(p.index);
        if (message !== undefined) {
          return { line: p.line, id: p.idText, outcome: 'failed', message: `${message} (in the earlier run)`, ...(p.row ? { reject: p.row } : {}) };
        }
        return { line: p.line, id: p.idText, outcome: 'skipped-resume', message: `sent in batch ${n + 1} by the earlier run` };
      });
      sc.sink.push(outcomes, outcomes.length);
      done(list.length);
      return;
    }
    while (inFlight.size >= sc.concurrency) await Promise.race(inFlight);
    if (stopped()) {
      stats.notSent += sending;
      const outcomes = list.filter((p): p is Extract<Pending, { kind: 'fixed' }> => p.kind === 'fixed').map((p) => p.outcome);
      sc.sink.push(outcomes, outcomes.length);
      return;
    }
    stats.batches += 1;
    const outcomes = runBatch(n, list);
    sc.sink.push(outcomes, list.length);
    const task = outcomes.then(() => undefined);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }

  // Without a report or rejects file there is nothing to write per row: keep nothing but what is sent.
  const keep = sc.sink.active;
  let read = 0;
  for await (const w of rows) {
    if (stopped()) break;
    read += 1;
    if (read % ROWS_PER_COLLECTION === 0) collectGarbage();
    if (w.state === 'superseded') {
      stats.superseded += 1;
      if (keep) items.push({ kind: 'fixed', outcome: { line: w.row.line, id: w.idText, outcome: 'skipped-duplicate', message: w.message } });
      else done(1);
    } else if (w.state === 'invalid' || !w.visit) {
      stats.invalid += 1;
      if (keep) items.push({ kind: 'fixed', outcome: { line: w.row.line, id: w.idText, outcome: 'invalid', message: w.message, reject: w.row } });
      else done(1);
    } else {
      items.push({ kind: 'send', index: w.row.index, line: w.row.line, idText: w.idText, visit: w.visit, erpId: w.visit.id, ...(keep ? { row: w.row } : {}) });
      toSend += 1;
    }
    if (toSend >= sc.batchSize || items.length - toSend >= MAX_FIXED_PER_BATCH) await cut();
  }
  if (!stopped()) await cut();
  else {
    stats.notSent += toSend;
    const outcomes = items.filter((p): p is Extract<Pending, { kind: 'fixed' }> => p.kind === 'fixed').map((p) => p.outcome);
    sc.sink.push(outcomes, outcomes.length);
  }
  await Promise.all(inFlight);
  stats.interrupted = sc.signal.aborted;
  return stopError ? { stats, stopError } : { stats };
}
