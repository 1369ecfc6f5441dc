import { Option, type Command } from 'commander';
import { optionsOf } from '../../cli/globals.js';
import { collect } from '../../cli/parsers.js';
import type { Context } from '../../context.js';
import type { UpdateCommandOptions } from './update.js';

/** `ljit visits update`; the handler is imported only when the command runs. */
export function registerUpdateCommand(visits: Command, ctx: Context): void {
  visits
    .command('update')
    .description('change fields of one or many visits, by _id, ERP id or _ids piped on stdin')
    .argument('[_id...]', 'visit _ids; - reads them from stdin (one a line, or NDJSON/JSON from "visits list")')
    .option('--date <day>', 'move to this date: YYYY-MM-DD, today, tomorrow or yesterday (local time)')
    .option('--driver <id>', 'assign to this driver (driverId)')
    .option('--driver-name <name>', "the driver's name on the visit (field name)")
    .option('--obs <text>', 'notes shown to the driver (obs)')
    .option('--priority <1-10>', 'priority, 1 (highest) to 10')
    .option('--service-order <n>', 'position in the driver\'s day (serviceOrder)')
    .option('--closed <0|1>', 'close (1) or reopen (0)')
    .option('--skipped <0|1>', 'mark skipped/postponed (1) or not (0)')
    .option('--contact-person <name>', 'contact person on site')
    .option('--contact-phone <phone>', 'contact phone on site')
    .addOption(new Option('--set <field=value>', 'any other field; the value is read as JSON when it is a number, true/false, a list or an object, else as text; repeatable').argParser(collect))
    .option('--data <json|@file>', 'a JSON object of fields to change, inline or @file.json (@- for stdin)')
    .addOption(new Option('--erp-id <id>', 'address a visit by your ERP id (one list request each); repeatable').argParser(collect))
    .option('--dry-run', 'show, for each visit, the fields that would change (before → after) and send nothing')
    .addOption(new Option('-o, --output <format>', 'text: a summary on stderr; json: {summary, results} on stdout').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit visits update yKQhJZ9B7PTT85kWc --date tomorrow --priority 2
  $ ljit visits update --erp-id 10816703 --closed 1 --obs "Closed by the office"
  $ ljit visits update yKQhJZ9B7PTT85kWc --set territory=LS-Leeds --set 'required_skills=["Gas"]'
  $ ljit visits update yKQhJZ9B7PTT85kWc --data @changes.json --dry-run
  $ ljit visits list --skipped 1 -o ndjson | ljit visits update - --date tomorrow --skipped 0
  $ ljit visits list --date today --driver FEn9BJz93svSNPx7p -o ndjson | ljit visits update - --driver wHJd78BZwQZN7LLQz -o json

The body is built from --data, then --set, then the flags above (a later one wins for the same field),
and checked before anything is sent (exit 6 with one "field: message" line per problem). Fields the
server writes (_id, createdAt, modifieddAt...) are refused. To send text that looks like a number with
--set, quote it as JSON: --set 'docNo="123"'. Many visits are updated in parallel (--concurrency,
default 8) within the rate limit. Exit 0 when every visit was updated, 3 when some were not (each is
listed with its reason), 5 when the only visit given does not exist.`,
    )
    .action(async (ids: string[], _opts, cmd: Command) => {
      const { updateRun } = await import('./update.js');
      await updateRun(ctx, ids, optionsOf<UpdateCommandOptions>(cmd));
    });
}
