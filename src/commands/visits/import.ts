import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { runImport, type RunExtras } from '../../importer/run.js';
import type { ImportSummary } from '../../importer/summary.js';
import type { ImportOptions } from '../../importer/types.js';
import { DEFAULT_CONCURRENCY, withSession } from '../../session.js';

/** What Commander hands over: the importer's options (the global --concurrency arrives separately). */
export type ImportCommandOptions = GlobalOptions & Omit<ImportOptions, 'concurrency'>;

export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_MAX_ERRORS = 50;

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that resumes this import: the same file and every option that matters, plus --resume. */
export function resumeCommand(file: string, o: ImportCommandOptions): string {
  const args = ['ljit'];
  if (o.profile !== undefined) args.push('--profile', o.profile);
  if (o.apiUrl !== undefined) args.push('--api-url', o.apiUrl);
  if (o.sandbox) args.push('--sandbox');
  args.push('visits', 'import', file);
  if (o.inputFormat) args.push('--input-format', o.inputFormat);
  if (o.delimiter !== undefined) args.push('--delimiter', o.delimiter === '\t' ? 'tab' : o.delimiter);
  if (o.encoding !== undefined) args.push('--encoding', o.encoding);
  if (o.relaxQuotes) args.push('--relax-quotes');
  for (const m of o.map ?? []) args.push('--map', m);
  if (o.ignoreUnknown) args.push('--ignore-unknown');
  if (o.companyId !== undefined) args.push('--company-id', o.companyId);
  if (o.lines !== undefined) args.push('--lines', o.lines);
  if (o.lastWins) args.push('--last-wins');
  if (o.skipInvalid) args.push('--skip-invalid');
  if (o.batchSize !== DEFAULT_BATCH_SIZE) args.push('--batch-size', String(o.batchSize));
  if (o.report !== undefined) args.push('--report', o.report);
  if (o.rejects !== undefined) args.push('--rejects', o.rejects);
  if (o.output === 'json') args.push('-o', 'json');
  args.push('--resume');
  return args.map(shellQuote).join(' ');
}

export function importOptions(o: ImportCommandOptions): ImportOptions {
  return {
    ...(o.inputFormat !== undefined ? { inputFormat: o.inputFormat } : {}),
    ...(o.delimiter !== undefined ? { delimiter: o.delimiter } : {}),
    ...(o.encoding !== undefined ? { encoding: o.encoding } : {}),
    ...(o.relaxQuotes !== undefined ? { relaxQuotes: o.relaxQuotes } : {}),
    ...(o.map !== undefined ? { map: o.map } : {}),
    ...(o.ignoreUnknown !== undefined ? { ignoreUnknown: o.ignoreUnknown } : {}),
    ...(o.companyId !== undefined ? { companyId: o.companyId } : {}),
    ...(o.lines !== undefined ? { lines: o.lines } : {}),
    ...(o.lastWins !== undefined ? { lastWins: o.lastWins } : {}),
    ...(o.skipInvalid !== undefined ? { skipInvalid: o.skipInvalid } : {}),
    ...(o.dryRun !== undefined ? { dryRun: o.dryRun } : {}),
    ...(o.resume !== undefined ? { resume: o.resume } : {}),
    ...(o.report !== undefined ? { report: o.report } : {}),
    ...(o.rejects !== undefined ? { rejects: o.rejects } : {}),
    batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE,
    output: o.output ?? 'text',
    maxErrors: o.maxErrors ?? DEFAULT_MAX_ERRORS,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
  };
}

export async function importRun(ctx: Context, file: string, opts: ImportCommandOptions, extras: Partial<RunExtras> = {}): Promise<ImportSummary> {
  return withSession(ctx, opts, ({ client }) => runImport(ctx, client, file, importOptions(opts), { resumeCommand: resumeCommand(file, opts), ...extras }));
}
