import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { optionsOf } from '../../cli/globals.js';
import { parsePositiveInt, parseZeroOne } from '../../cli/parsers.js';
import { addOutputOptions } from '../output-options.js';
import type { ListCommandOptions } from './list.js';
import type { GetCommandOptions } from './get.js';
import { registerImportCommand } from './import-register.js';
import { registerUpdateCommand } from './update-register.js';
import { registerDeleteCommand } from './delete-register.js';
import { registerStatusCommand } from './status-register.js';
import { registerWatchCommand } from './watch-register.js';

export function registerVisitsCommands(program: Command, ctx: Context): void {
  const visits = program
    .command('visits')
    .description('list, get, import, update and delete visits; see who is done with status and watch')
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits list --date today --closed 0
  $ ljit visits get --erp-id 10816703
  $ ljit visits import visits.csv --report report.csv
  $ ljit visits list --skipped 1 -o ndjson | ljit visits update - --date tomorrow
  $ ljit visits status --date today
  $ ljit visits watch --interval 30s`,
    );

  const list = visits
    .command('list')
    .description('list visits, every page, filtered on the server')
    .option('--date <day>', 'visit date: YYYY-MM-DD, today, tomorrow or yesterday (local time)')
    .option('--driver <id>', 'driver id')
    .option('--id <erpId>', 'your ERP id')
    .option('--internal-id <_id>', 'LetsJobIt internal id')
    .option('--doc-no <text>', 'document number contains this text')
    .addOption(new Option('--closed <0|1>', 'closed (1) or open (0)').argParser(parseZeroOne))
    .addOption(new Option('--open', 'only open visits (same as --closed 0)').conflicts('closed'))
    .addOption(new Option('--skipped <0|1>', 'skipped (postponed) or not').argParser(parseZeroOne))
    .addOption(new Option('--in-progress <0|1>', 'in progress or not').argParser(parseZeroOne))
    .addOption(new Option('--confirm-close <0|1>', 'close confirmed by your ERP or not').argParser(parseZeroOne))
    .addOption(new Option('--priority <n>', 'priority, 1 (highest) to 10').argParser(parsePositiveInt))
    .addOption(new Option('--limit <n>', 'stop after n visits (default: all)').argParser(parsePositiveInt));
  addOutputOptions(list)
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits list --date today --closed 0
  $ ljit visits list --date 2020-03-31 --driver FEn9BJz93svSNPx7p -o csv > day.csv
  $ ljit visits list --skipped 1 -o ndjson | jq .docNo
  $ ljit visits list --doc-no H-0176 --fields _id,docNo,customer,closed

Piped, the table becomes tab-separated lines with a header (no colour, no truncation);
json is one array, ndjson one visit per line, csv the columns "visits import" reads.`,
    )
    .action(async (_opts, cmd: Command) => {
      const { listRun } = await import('./list.js');
      await listRun(ctx, optionsOf<ListCommandOptions>(cmd));
    });

  const get = visits
    .command('get')
    .description('show one visit by its internal _id, or by your ERP id')
    .argument('[_id]', 'the visit\'s internal id (17 characters)')
    .option('--erp-id <id>', 'find the visit by your ERP id instead');
  addOutputOptions(get)
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits get yKQhJZ9B7PTT85kWc
  $ ljit visits get --erp-id 10816703 -o json`,
    )
    .action(async (id: string | undefined, _opts, cmd: Command) => {
      const { getRun } = await import('./get.js');
      await getRun(ctx, id, optionsOf<GetCommandOptions>(cmd));
    });
  registerImportCommand(visits, ctx);
  registerUpdateCommand(visits, ctx);
  registerDeleteCommand(visits, ctx);
  registerStatusCommand(visits, ctx);
  registerWatchCommand(visits, ctx);
}
