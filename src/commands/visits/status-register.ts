import type { Command } from 'commander';
import { optionsOf } from '../../cli/globals.js';
import { collect } from '../../cli/parsers.js';
import type { Context } from '../../context.js';
import { addOutputOptions } from '../output-options.js';
import type { StatusCommandOptions } from './status.js';

export function registerStatusCommand(visits: Command, ctx: Context): void {
  const status = visits
    .command('status')
    .description("a day's visits per driver: open, in progress, closed, skipped and confirmed")
    .option('--date <day>', 'visit date: YYYY-MM-DD, today, tomorrow or yesterday (local time)', 'today')
    .option('--driver <id>', 'only this driver (filtered on the server)')
    .option('--territory <name>', 'only visits in this territory, repeatable (filtered here: the API has no territory filter)', collect);
  addOutputOptions(status)
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits status
  $ ljit visits status --date 2020-03-31 --territory AB-Aberdeen
  $ ljit visits status --date tomorrow -o csv > drivers.csv
  $ ljit visits status -o json | jq '.[] | select(.skipped > 0) | .name'

Each visit counts once: skipped first, then closed, then in progress, else open. "confirmed"
counts the closed visits whose close your ERP confirmed (confirmClose). On a terminal the table
adds a totals row and lists the skipped visits; json, ndjson and csv give one object per driver:
driverId, name, total, open, inProgress, closed, skipped, confirmed.`,
    )
    .action(async (_opts, cmd: Command) => {
      const { statusRun } = await import('./status.js');
      await statusRun(ctx, optionsOf<StatusCommandOptions>(cmd));
    });
}
