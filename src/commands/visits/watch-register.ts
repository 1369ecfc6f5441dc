import { InvalidArgumentError, Option, type Command } from 'commander';
import { optionsOf } from '../../cli/globals.js';
import { collect, parseDuration, parsePositiveInt } from '../../cli/parsers.js';
import type { Context } from '../../context.js';
import type { WatchCommandOptions } from './watch.js';

export const WATCH_OUTPUTS = ['board', 'ndjson'] as const;

/** Below this a watch would spend the shared budget (100 requests / 10 s) faster than anyone can read a board. */
export const MIN_INTERVAL_MS = 2_000;

function parseInterval(value: string): number {
  const ms = parseDuration(value);
  if (ms < MIN_INTERVAL_MS) throw new InvalidArgumentError(`the interval must be at least 2s (got "${value}")`);
  return ms;
}

export function registerWatchCommand(visits: Command, ctx: Context): void {
  visits
    .command('watch')
    .description("a live board of a day's visits per driver, marking what changed since the last poll")
    .option('--date <day>', 'visit date: YYYY-MM-DD, today, tomorrow or yesterday (local time, fixed when the watch starts)', 'today')
    .option('--driver <id>', 'only this driver (filtered on the server)')
    .option('--territory <name>', 'only visits in this territory, repeatable (filtered here)', collect)
    .addOption(new Option('--interval <duration>', 'time between polls, at least 2s').argParser(parseInterval).default(30_000, '30s'))
    .addOption(new Option('-o, --output <format>', 'board (the default on a terminal) or ndjson (the default when piped)').choices(WATCH_OUTPUTS))
    .option('--initial', 'report every visit of the first poll as "new" instead of taking it silently as the baseline')
    .addOption(new Option('--max-polls <n>', 'stop after n polls').argParser(parsePositiveInt))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits watch
  $ ljit visits watch --date 2020-03-31 --driver FEn9BJz93svSNPx7p --interval 1m
  $ ljit visits watch | jq -c 'select(.change == "skipped")'
  $ ljit visits watch --interval 10s -o ndjson --max-polls 6 > changes.ndjson

On a terminal the board redraws in place: per-driver counts, the changes of the last poll
marked with •, the time of the last refresh and the rate budget left. Piped, it prints one
JSON line per change:
  {"at":"…","change":"closed","_id":"…","docNo":"…","customer":"…","driverId":"…","before":{…},"after":{…}}
Changes: new, removed, started, closed, skipped, reopened, reassigned, confirmed. before/after
hold status, closed, inProgress, skipped, confirmClose, skippedReasonId, driverId, name and date
(null for a new or removed visit). The first poll is the baseline and reports nothing unless
--initial. A poll costs ceil(visits/100) requests from the budget shared with every ljit
process using the key: 300 visits every 30s is 3 x 120 = 360 requests an hour.
Network trouble is shown and the watch goes on; Ctrl-C stops it (exit code 0).`,
    )
    .action(async (_opts, cmd: Command) => {
      const { watchRun } = await import('./watch.js');
      await watchRun(ctx, optionsOf<WatchCommandOptions>(cmd));
    });
}
