import { Option, type Command } from 'commander';
import { optionsOf } from '../../cli/globals.js';
import { collect, parsePositiveInt } from '../../cli/parsers.js';
import type { Context } from '../../context.js';
import type { ImportCommandOptions } from './import.js';

/** `ljit visits import <file>`; the handler is imported only when the command runs. */
export function registerImportCommand(visits: Command, ctx: Context): void {
  visits
    .command('import')
    .description('create or update visits from a CSV, JSON or NDJSON file: every row checked first, sent in batches, resumable')
    .argument('<file>', 'the file to import (.csv, .json, .ndjson/.jsonl), or - for stdin')
    .addOption(new Option('--input-format <format>', 'the file format, when the extension does not say').choices(['csv', 'json', 'ndjson']))
    .option('--delimiter <char>', 'CSV delimiter: comma, semicolon, tab, pipe or one character (default: detected)')
    .option('--encoding <name>', 'text encoding when the file is not UTF-8, e.g. windows-1252 (default: UTF-8, or what the BOM says)')
    .option('--relax-quotes', 'accept quotes inside unquoted CSV cells (e.g. 12" screen)')
    .addOption(new Option('--map <pairs>', 'columns to fields: "ERP Column=field,Other=field" ("Column=" ignores one); repeatable').argParser(collect))
    .option('--ignore-unknown', 'ignore columns that are not visit fields instead of stopping')
    .option('--company-id <id>', 'companyId for every row, when the file has no such column')
    .option('--lines <file>', 'visit lines from a second CSV: a visitId column (the visit\'s ERP id) plus line columns')
    .option('--last-wins', 'when an ERP id appears twice, send the last row (default: stop with an error naming both lines)')
    .option('--skip-invalid', 'send the valid rows and skip the invalid ones (default: send nothing if any row is invalid)')
    .addOption(new Option('--batch-size <n>', 'visits per request').argParser(parsePositiveInt).default(100))
    .option('--dry-run', 'check the file and show what would be inserted, updated or unchanged; send nothing')
    .option('--resume', 'continue an interrupted import of the same file, skipping the batches already acknowledged')
    .option('--report <file.csv>', 'write one line per input row: line, id, outcome, message')
    .option('--rejects <file.csv>', 'write the invalid and refused rows, as read, with an error column, ready to fix and import again')
    .addOption(new Option('-o, --output <format>', 'summary format: text on stderr, or json on stdout').choices(['text', 'json']).default('text'))
    .addOption(new Option('--max-errors <n>', 'problems to print before "... and N more"').argParser(parsePositiveInt).default(50))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits import visits.csv --dry-run
  $ ljit visits import visits.csv --report report.csv --rejects rejects.csv
  $ ljit visits import export.csv --delimiter semicolon --encoding windows-1252
  $ ljit visits import erp.csv --map "Order=docNo,Client=customer" --company-id yKQhJZ9B7PTT85kWc
  $ ljit visits import visits.csv --lines lines.csv
  $ ljit visits import visits.csv --resume          # after Ctrl-C or a crash
  $ ljit visits list --date 2020-03-31 -o csv > day.csv && ljit visits import day.csv --dry-run

Every row is checked before anything is sent: one invalid row stops the import (exit 6) with
FILE:LINE: column: message for each problem. Exit 0 when every row was imported, 3 when some were
not, 130 after Ctrl-C (the summary shows the command that resumes). Format: docs/import-format.md.`,
    )
    .action(async (file: string, _opts, cmd: Command) => {
      const { importRun } = await import('./import.js');
      await importRun(ctx, file, optionsOf<ImportCommandOptions>(cmd));
    });
}
