import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { collect, parseDuration, parseNonNegativeInt, parseProbability, parseRateLimit } from '../../cli/parsers.js';
import type { ServeCommandOptions } from './serve.js';

function parsePort(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (got "${value}")`);
  return n;
}

/** Milliseconds: a bare number is ms here ("--latency 200"), unlike --timeout; "1.5s" works too. */
function parseMillis(value: string): number {
  return /^\s*\d+\s*$/.test(value) ? Number(value.trim()) : parseDuration(value);
}

export function registerSandboxCommands(program: Command, ctx: Context): void {
  const sandbox = program
    .command('sandbox')
    .description('run a local LetsJobIt API v2 emulator')
    .addHelpText(
      'after',
      `
Examples:
  $ ljit sandbox serve --seed 250
  $ ljit sandbox reset
  $ ljit --sandbox visits list --date 2020-03-31`,
    );

  sandbox
    .command('serve')
    .description('serve the LetsJobIt API v2 (/api/v2/visits) on this machine until Ctrl-C')
    .addOption(new Option('--port <n>', 'port to listen on; 0 picks a free one').argParser(parsePort).default(8787))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--key <key>', 'an API key to accept, each its own company; repeatable (default: sandbox)').argParser(collect))
    .addOption(new Option('--seed <n>', 'generate n demo visits for each key whose company has none').argParser(parseNonNegativeInt))
    .addOption(new Option('--random-seed <s>', 'make seed data, ids and faults the same on every run'))
    .addOption(new Option('--data <file>', 'keep visits in this NDJSON file (loaded on start, saved atomically); default: memory only'))
    .addOption(new Option('--rate-limit <n/window>', 'requests per key per rolling window, or "off" (default 100/10s)').argParser(parseRateLimit))
    .addOption(new Option('--latency <ms>', 'delay before every answer').argParser(parseMillis))
    .addOption(new Option('--jitter <ms>', 'up to this much extra random delay').argParser(parseMillis))
    .addOption(new Option('--fail-rate <p>', 'fraction of requests answered 500/503 unprocessed, e.g. 0.1 or 10%').argParser(parseProbability))
    .addOption(new Option('--drop-rate <p>', 'fraction of requests processed, then cut off mid-response').argParser(parseProbability))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit sandbox serve --seed 250 --random-seed 1
  $ ljit sandbox serve --port 0 --key alpha --key beta --data ./visits.ndjson
  $ ljit sandbox serve --rate-limit 5/1s --latency 200 --jitter 100 --fail-rate 0.1
  $ ljit sandbox serve --rate-limit off --drop-rate 5%

The first line on stdout is the base URL (e.g. http://127.0.0.1:8787/api/v2); the rest goes to stderr.
Send the key as "Authorization: Bearer KEY" or ?API_KEY=KEY.`,
    )
    .action(async (_opts, cmd: Command) => {
      const { serveRun } = await import('./serve.js');
      // optsWithGlobals: the root command also has --rate-limit (the client budget) and Commander hands
      // the value to whichever defines it first, so read the merged options.
      await serveRun(ctx, cmd.optsWithGlobals<ServeCommandOptions>());
    });

  sandbox
    .command('reset')
    .description('restore the demo visits that --sandbox uses (250 visits, dates around today and 2020-03-31)')
    .addHelpText(
      'after',
      `
Examples:
  $ ljit sandbox reset
  $ ljit sandbox reset && ljit --sandbox visits list --date today`,
    )
    .action(async () => {
      const { resetRun } = await import('./reset.js');
      await resetRun(ctx);
    });
}
