import { Command, Option } from 'commander';
import type { Context } from './context.js';
import { parseDuration, parsePositiveInt, parseRateLimit } from './cli/parsers.js';
import { registerSandboxCommands } from './commands/sandbox/register.js';
import { registerVisitsCommands } from './commands/visits/register.js';
import { registerAuthCommands } from './commands/auth/register.js';
import { registerApiCommand } from './commands/api-register.js';
import { registerCompletionCommand } from './commands/completion-register.js';
import { registerHelpCommand } from './commands/help-topics.js';

/**
 * Builds the command tree. Registration is cheap; each command's handler is imported only when it runs,
 * which keeps `ljit --version` and `--help` fast.
 */
export function buildProgram(ctx: Context): Command {
  const program = new Command('ljit')
    .description('Command-line tool for the LetsJobIt API v2: list, import, update and delete visits.')
    .version(ctx.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    // Throw instead of exiting, so main() maps parse errors to exit code 2; set before subcommands inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .addOption(new Option('--profile <name>', 'profile to use (env: LJIT_PROFILE)'))
    .addOption(new Option('--api-url <url>', 'API base URL, e.g. https://app.letsjobit.com/api/v2 (env: LJIT_API_URL)'))
    .addOption(new Option('--sandbox', 'run against a built-in local sandbox with demo data (nothing leaves this machine)'))
    .addOption(new Option('-v, --verbose', 'log each request (method, URL, status, time, rate headers) to stderr; the key is redacted'))
    .addOption(new Option('--timeout <duration>', 'per-attempt timeout, covering the whole response body').argParser(parseDuration))
    .addOption(new Option('--max-retries <n>', 'attempts for a request that fails with a network error or 5xx').argParser(parsePositiveInt))
    .addOption(new Option('--concurrency <n>', 'requests in flight at once (within the rate limit)').argParser(parsePositiveInt))
    .addOption(new Option('--rate-limit <n/window>', 'client-side request budget per key, shared by every ljit process (default 100/10s, "off" for none)').argParser(parseRateLimit))
    .addOption(new Option('--no-color', 'never colour output (also NO_COLOR=1)'))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit --sandbox visits list --date 2020-03-31
  $ ljit auth login
  $ ljit visits list --date today --closed 0
  $ ljit visits import visits.csv --report report.csv

Exit codes: 0 ok, 1 unexpected, 2 usage, 3 partial failure, 4 auth, 5 not found,
6 invalid input, 7 unavailable, 130 interrupted.`,
    );
  registerVisitsCommands(program, ctx);
  registerAuthCommands(program, ctx);
  registerSandboxCommands(program, ctx);
  registerApiCommand(program, ctx);
  registerCompletionCommand(program, ctx);
  registerHelpCommand(program, ctx);
  return program;
}
