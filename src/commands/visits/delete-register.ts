import { Option, type Command } from 'commander';
import { optionsOf } from '../../cli/globals.js';
import { collect } from '../../cli/parsers.js';
import type { Context } from '../../context.js';
import type { DeleteCommandOptions } from './delete.js';

/** `ljit visits delete`; the handler is imported only when the command runs. */
export function registerDeleteCommand(visits: Command, ctx: Context): void {
  visits
    .command('delete')
    .description('delete one or many visits, after a backup you can import again')
    .argument('[_id...]', 'visit _ids; - reads them from stdin (one a line, or NDJSON/JSON from "visits list"; needs --yes)')
    .addOption(new Option('--erp-id <id>', 'address a visit by your ERP id (one list request each); repeatable').argParser(collect))
    .option('-y, --yes', 'delete without asking (required when stdin is not a terminal, or carries the _ids)')
    .option('--dry-run', 'list the visits that would be deleted (date, doc no, customer, driver) and delete nothing')
    .option('--strict', 'count a visit that is already gone as a failure (exit 5 for one visit, 3 for several)')
    .option('--backup <file>', 'where to save the records before deleting them (default: <data dir>/backups/deleted-<time>.ndjson)')
    .addOption(new Option('-o, --output <format>', 'text: a summary on stderr; json: {summary, results} on stdout').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits delete yKQhJZ9B7PTT85kWc
  $ ljit visits delete --erp-id 10816703 --erp-id 10816704 --dry-run
  $ ljit visits list --date 2020-03-31 --closed 1 -o ndjson | ljit visits delete - --yes
  $ ljit visits delete - --yes --backup before-cleanup.ndjson -o json < ids.txt
  $ ljit visits import before-cleanup.ndjson        # bring them back (new _ids, same ERP ids)

Each visit is read first (shown for confirmation, and written to the backup file, whose path is
printed on stderr) and only then deleted; a visit that cannot be read is not deleted. On a terminal
ljit asks before deleting; elsewhere it needs --yes. A visit that is already gone is reported and
does not fail the run unless --strict. Many visits are deleted in parallel (--concurrency, default 8)
within the rate limit. Exit 0 when every visit is gone, 3 when some could not be deleted (each is
listed with its reason).`,
    )
    .action(async (ids: string[], _opts, cmd: Command) => {
      const { deleteRun } = await import('./delete.js');
      await deleteRun(ctx, ids, optionsOf<DeleteCommandOptions>(cmd));
    });
}
