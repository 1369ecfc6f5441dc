import type { ApiClient } from '../api/client.js';
import type { Context } from '../context.js';
import { InterruptedError, InvalidInputError, PartialFailureError, UsageError } from '../errors.js';
import { sanitize } from '../output/sanitize.js';
import { emptyStats, sendRows, type SendStats } from './batches.js';
import { parseDelimiterOption, sniffDelimiter } from './dialect.js';
import { LINE_FIELDS, parseMapOption, VISIT_FIELDS } from './headers.js';
import { HashTap, openInput } from './input.js';
import { Journal, journalPath, optionDifferences, readJournal, type BatchRecord, type Fingerprint } from './journal.js';
import { loadLinesFile, type LinesIndex } from './lines-file.js';
import { runPass1, type Pass1Result } from './pass1.js';
import { planImport, type PlanResult } from './plan.js';
import { fmt, Progress } from './progress.js';
import type { ReadSettings } from './read-rows.js';
import { detectRecordDelimiter } from './record-scanner.js';
import { OrderedOutcomes, RejectsWriter, ReportWriter } from './report.js';
import { summaryText, type ImportSummary } from './summary.js';
import { formatProblem, type ImportOptions } from './types.js';
import type { RowContext } from './validate.js';
import { walkRows } from './walk.js';

/**
 * `ljit visits import`, start to end: read and check every row (pass 1), stop with exit 6 if any is
 * invalid (unless --skip-invalid), then either plan (--dry-run) or send in batches (pass 2) with a journal
 * for --resume, and end with a summary and the right exit code.
 */

export interface RunExtras {
  /** The command line that resumes this import, shown after Ctrl-C. */
  resumeCommand: string;
  /** Trust `index`/`id` in the server's errors[] (tests turn it off to exercise bisection). */
  useErrorRefs?: boolean;
}

function checkOptions(file: string, o: ImportOptions): void {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new UsageError('--batch-size must be a whole number of at least 1');
  if (o.resume && file === '-') throw new UsageError('--resume needs a file: an import from stdin cannot be resumed', 'Save the input to a file first, then import the file.');
  if (o.resume && o.dryRun) throw new UsageError('--resume and --dry-run do not go together (a dry run sends nothing)');
}

function printProblems(ctx: Context, pass1: Pass1Result, o: ImportOptions): void {
  const write = (text: string): void => void ctx.io.stderr.write(`${text}\n`);
  for (const p of pass1.problems) write(sanitize(formatProblem(p)));
  const more = pass1.problemCount - pass1.problems.length;
  if (more > 0) write(`... and ${fmt(more)} more ${o.rejects ? `(every invalid row is in ${sanitize(o.rejects)}, with its error)` : '(add --rejects FILE.csv to get every invalid row with its error)'}`);
}

function fingerprintOptions(o: ImportOptions, pass1Format: string, delimiter: string, encoding: string, lines: LinesIndex | undefined): Fingerprint['options'] {
  return {
    format: pass1Format,
    delimiter,
    encoding,
    batchSize: o.batchSize,
    map: o.map && o.map.length > 0 ? o.map.join(',') : null,
    ignoreUnknown: o.ignoreUnknown === true,
    relaxQuotes: o.relaxQuotes === true,
    lastWins: o.lastWins === true,
    skipInvalid: o.skipInvalid === true,
    companyId: o.companyId ?? null,
    lines: lines ? lines.sha256 : null,
  };
}

export async function runImport(ctx: Context, client: ApiClient, file: string, o: ImportOptions, extras: RunExtras): Promise<ImportSummary> {
  checkOptions(file, o);
  const started = ctx.clock.now();
  const statsBefore = { ...client.stats };
  const progress = new Progress(ctx, 'checking', o.output === 'json' && !ctx.io.stderrIsTTY);
  const input = await openInput(ctx, file, { ...(o.inputFormat ? { inputFormat: o.inputFormat } : {}), ...(o.encoding !== undefined ? { encoding: o.encoding } : {}) });
  try {
    const map = parseMapOption(o.map, [VISIT_FIELDS, LINE_FIELDS]);
    const delimiter = input.format === 'csv' ? (o.delimiter !== undefined ? parseDelimiterOption(o.delimiter) : sniffDelimiter(input.head, input.headIsWhole, input.label)) : '';
    const lines = o.lines
      ? await loadLinesFile(ctx, o.lines, {
          ...(o.encoding !== undefined ? { encoding: o.encoding } : {}),
          ...(o.delimiter !== undefined ? { delimiter: parseDelimiterOption(o.delimiter) } : {}),
          relaxQuotes: o.relaxQuotes === true,
          map,
          ignoreUnknown: o.ignoreUnknown === true,
        })
      : undefined;
    const provided = new Set<string>();
    if (o.companyId !== undefined) provided.add('companyId');
    const settings: ReadSettings = { delimiter, recordDelimiter: detectRecordDelimiter(input.head), relaxQuotes: o.relaxQuotes === true, map, ignoreUnknown: o.ignoreUnknown === true, provided };
    const rc: Omit<RowContext, 'plan'> = {
      file: input.label,
      format: input.format,
      map,
      ignoreUnknown: o.ignoreUnknown === true,
      ...(o.companyId !== undefined ? { companyId: o.companyId } : {}),
      ...(lines ? { lines } : {}),
    };

    let pass1: Pass1Result;
    try {
      pass1 = await runPass1(input, { settings, rowContext: rc, lastWins: o.lastWins === true, keep: o.maxErrors, onProgress: (n) => progress.update(n), signal: ctx.signal });
    } catch (err) {
      progress.clear();
      if (ctx.signal.aborted) throw new InterruptedError('interrupted while checking the file; nothing was sent');
      throw err;
    }
    progress.clear();
    printProblems(ctx, pass1, o);

    const summary: ImportSummary = {
      file: input.label,
      format: input.format,
      dryRun: o.dryRun === true,
      rowsRead: pass1.rowsRead,
      valid: pass1.rowsRead - pass1.invalid.size,
      invalid: pass1.invalid.size,
      duplicatesSkipped: pass1.superseded.size,
      sent: 0,
      inserted: 0,
      updated: 0,
      unchanged: null,
      failed: 0,
      skippedResume: 0,
      notSent: 0,
      batches: 0,
      unverifiedBatches: 0,
      requests: 0,
      retries: 0,
      rateLimited: 0,
      elapsedMs: 0,
      interrupted: false,
      journal: null,
      report: o.report ?? null,
      rejects: o.rejects ?? null,
      resumeCommand: null,
    };
    const finishSummary = (): ImportSummary => {
      summary.requests = client.stats.requests - statsBefore.requests;
      summary.retries = client.stats.retries - statsBefore.retries;
      summary.rateLimited = client.stats.rateLimited - statsBefore.rateLimited;
      summary.elapsedMs = ctx.clock.now() - started;
      return summary;
    };
    const emit = (): void => {
      finishSummary();
      ctx.io.stderr.write(summaryText(summary));
      if (o.output === 'json') ctx.io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    };

    const sink = new OrderedOutcomes(
      o.report ? await ReportWriter.open(o.report) : undefined,
      o.rejects ? await RejectsWriter.open(o.rejects, input.format, pass1.headers) : undefined,
      o.maxErrors,
    );

    const blocked = pass1.blocking || (pass1.invalid.size > 0 && !o.skipInvalid);
    if (blocked) {
      if (sink.active && !pass1.blocking) {
        // Nothing is sent, but the report and the rejects file still cover every row.
        const pending = [];
        for await (const w of walkRows(input, settings, rc, pass1)) {
          pending.push(
            w.state === 'valid'
              ? { line: w.row.line, id: w.idText, outcome: 'not-sent' as const, message: 'not sent: other rows are invalid' }
              : { line: w.row.line, id: w.idText, outcome: w.state === 'superseded' ? ('skipped-duplicate' as const) : ('invalid' as const), message: w.message, ...(w.state === 'invalid' ? { reject: w.row } : {}) },
          );
          if (pending.length >= 1000) sink.push(pending.splice(0), 1000);
        }
        sink.push(pending, pending.length);
      }
      await sink.finish();
      summary.notSent = summary.valid;
      if (o.output === 'json') ctx.io.stdout.write(`${JSON.stringify(finishSummary(), null, 2)}\n`);
      const rows = pass1.invalid.size;
      throw new InvalidInputError(
        `${fmt(pass1.problemCount)} problem${pass1.problemCount === 1 ? '' : 's'}${rows > 0 ? ` in ${fmt(rows)} row${rows === 1 ? '' : 's'}` : ''} of ${input.label}; nothing was sent`,
        pass1.blocking ? 'Fix the file and run again.' : 'Fix them and run again, or add --skip-invalid to send the valid rows (and --rejects FILE.csv to collect the others).',
      );
    }

    if (o.dryRun) {
      let plan: PlanResult;
      try {
        plan = await planImport(walkRows(input, settings, rc, pass1), { client, ids: pass1.ids, fields: [...pass1.fields], concurrency: o.concurrency, progress, sink, signal: ctx.signal });
      } finally {
        progress.clear();
        await sink.finish();
      }
      summary.plan = plan;
      summary.unchanged = plan.unchanged;
      emit();
      return summary;
    }

    // The journal, unless the input is stdin (nothing to re-read later).
    let journal: Journal | undefined;
    let acknowledged = new Map<number, BatchRecord>();
    if (input.absolute) {
      const path = journalPath(ctx.paths.data, input.absolute, pass1.sha256);
      const fingerprint: Fingerprint = {
        kind: 'fingerprint',
        v: 1,
        file: input.absolute,
        sha256: pass1.sha256,
        size: pass1.size,
        mtimeMs: input.mtimeMs,
        options: fingerprintOptions(o, input.format, delimiter, input.encoding.encoding, lines),
        created: new Date(ctx.clock.now()).toISOString(),
      };
      const existing = await readJournal(path);
      if (o.resume) {
        if (!existing) {
          throw new UsageError(
            `nothing to resume for ${input.label}: no interrupted import of this file as it is now`,
            'The file may have changed since. Run without --resume: rows are upserted by ERP id, so sending them again is safe.',
          );
        }
        const diff = optionDifferences(existing.fingerprint.options, fingerprint.options);
        if (diff.length > 0) throw new UsageError(`cannot resume: the options differ from the interrupted import (${diff.join('; ')})`, 'Use the same options, or run without --resume to start over.');
        acknowledged = existing.batches;
        journal = await Journal.open(path, undefined);
      } else {
        if (existing && existing.batches.size > 0) ctx.io.stderr.write(`ljit: an earlier import of this file was interrupted; starting over (add --resume to skip what it sent)\n`);
        journal = await Journal.open(path, fingerprint);
      }
      summary.journal = path;
    }

    progress.phase('importing');
    let stats: SendStats = emptyStats();
    let stopError: Error | undefined;
    const tap = new HashTap();
    try {
      const sent = await sendRows(walkRows(input, settings, rc, pass1, tap), {
        client,
        journal,
        acknowledged,
        sink,
        progress,
        total: pass1.rowsRead,
        batchSize: o.batchSize,
        concurrency: o.concurrency,
        signal: ctx.signal,
        useErrorRefs: extras.useErrorRefs ?? true,
        clockNow: () => ctx.clock.now(),
      });
      stats = sent.stats;
      stopError = sent.stopError;
    } finally {
      progress.clear();
      await sink.finish();
    }
    if (tap.digest !== undefined && tap.digest !== pass1.sha256) {
      ctx.io.stderr.write(`ljit: warning: ${sanitize(input.label)} changed while it was being imported; the rows sent are those read the second time (see the report)\n`);
    }
    Object.assign(summary, {
      sent: stats.sent,
      inserted: stats.inserted,
      updated: stats.updated,
      failed: stats.failed,
      skippedResume: stats.skippedResume,
      // Rows that would have been sent but were not (Ctrl-C, a stop), read or not.
      notSent: Math.max(0, summary.valid - summary.duplicatesSkipped - stats.sent - stats.skippedResume),
      batches: stats.batches,
      unverifiedBatches: stats.unverifiedBatches,
      interrupted: stats.interrupted,
    });
    const complete = !stats.interrupted && !stopError && stats.failed === 0 && summary.notSent === 0;
    if (journal) {
      if (complete) await journal.remove();
      else await journal.close();
    }
    if (!complete && input.absolute) summary.resumeCommand = extras.resumeCommand;
    if (complete) summary.journal = null;
    emit();

    if (stats.interrupted) {
      throw new InterruptedError(
        `interrupted: ${fmt(stats.sent + stats.skippedResume)} of ${fmt(summary.valid)} rows sent and acknowledged`,
        input.absolute ? `Resume with: ${extras.resumeCommand}` : 'An import from stdin cannot be resumed; save the input to a file and import that (rows already sent are updated, not duplicated).',
      );
    }
    if (stopError) {
      if (input.absolute && stopError instanceof Error && 'hint' in stopError) {
        ctx.io.stderr.write(`Resume with: ${extras.resumeCommand}\n`);
      }
      throw stopError;
    }
    const notImported = stats.failed + (o.skipInvalid ? summary.invalid : 0);
    for (const r of sink.refused) ctx.io.stderr.write(`${sanitize(input.label)}:${r.line}: id ${r.id || '?'}: ${sanitize(r.message)}\n`);
    if (stats.failed > sink.refused.length) ctx.io.stderr.write(`... and ${fmt(stats.failed - sink.refused.length)} more refused rows${o.report ? ` (all in ${o.report})` : ' (--report FILE lists them all)'}\n`);
    if (notImported > 0) {
      throw new PartialFailureError(
        `${fmt(notImported)} of ${fmt(summary.rowsRead)} rows were not imported (${fmt(stats.failed)} refused by the server${o.skipInvalid ? `, ${fmt(summary.invalid)} invalid` : ''})${o.rejects ? `; they are in ${o.rejects}` : ''}`,
      );
    }
    return summary;
  } finally {
    await input.cleanup();
  }
}
