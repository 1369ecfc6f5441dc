import { Option, type Command } from 'commander';
import { optionsOf } from '../cli/globals.js';
import { collect } from '../cli/parsers.js';
import type { Context } from '../context.js';
import { OUTPUT_FORMATS } from '../output/formats.js';
import type { ApiCommandOptions } from './api/run.js';

export function registerApiCommand(program: Command, ctx: Context): void {
  program
    .command('api')
    .description('send any request to the API with your key, rate budget and retries (the escape hatch, like gh api)')
    .argument('<method>', 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS')
    .argument('<path>', 'relative to the API URL: visits, /visits/ID')
    .addOption(new Option('-F, --field <key=value>', 'a query parameter (GET, DELETE) or body field; true, false, null and numbers are typed, @file reads a file, @- stdin; key[]=v appends to a list').argParser(collect))
    .addOption(new Option('-f, --raw-field <key=value>', 'like --field, but the value is always a string').argParser(collect))
    .option('--input <file>', 'the JSON request body from a file, or - for stdin (fields then go to the query string)')
    .option('--paginate', 'follow meta.nextStart to the last page and print the records')
    .option('-i, --include', 'print the HTTP status and the rate-limit headers to stderr')
    .addOption(new Option('-o, --output <format>', 'json (the whole answer; with --paginate an array of the records), ndjson, csv or table').choices(OUTPUT_FORMATS).default('json'))
    .addOption(new Option('--fields <list>', 'comma-separated fields to keep, nested with dots (e.g. meta.totalRecords, or docNo,closed with --paginate)'))
    .addOption(new Option('--no-header', 'omit the header line of table and csv output'))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit api GET visits -F date=2020-03-31 -F closed=0
  $ ljit api GET visits --paginate -F date=2020-03-31 -o ndjson | jq .docNo
  $ ljit api GET /visits/yKQhJZ9B7PTT85kWc
  $ ljit api PUT visits/yKQhJZ9B7PTT85kWc -F priority=2 -F obs=@notes.txt
  $ ljit api POST visits --input visits.json -i
  $ ljit api DELETE visits/yKQhJZ9B7PTT85kWc

The key, the shared rate budget, retries and exit codes are those of every ljit command;
the key is never printed. Without --paginate, -o json prints the whole answer ({"meta","data"});
ndjson, csv and table print its records (or its meta counts when there are none).`,
    )
    .action(async (method: string, path: string, _opts, cmd: Command) => {
      const { apiRun } = await import('./api/run.js');
      await apiRun(ctx, method, path, optionsOf<ApiCommandOptions>(cmd));
    });
}
