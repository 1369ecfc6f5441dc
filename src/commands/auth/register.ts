import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { optionsOf } from '../../cli/globals.js';

export function registerAuthCommands(program: Command, ctx: Context): void {
  const auth = program
    .command('auth')
    .description('log in, check and log out of LetsJobIt')
    .addHelpText('after', '\nExamples:\n  $ ljit auth login\n  $ ljit auth status\n  $ ljit auth logout --profile staging');

  auth
    .command('login')
    .description('save an API key for a profile, after checking it with one request')
    .option('--with-key', 'read the key from standard input (for scripts) instead of asking')
    .addOption(new Option('--key-placement <where>', 'send the key as a Bearer header or as ?API_KEY= in the query').choices(['header', 'query']).default('header'))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit auth login                                   # asks for the key, hidden
  $ printf '%s' "$KEY" | ljit auth login --with-key   # for scripts
  $ ljit auth login --profile staging --api-url https://staging.example.com/api/v2`,
    )
    .action(async (_opts, cmd: Command) => {
      const { loginRun } = await import('./login.js');
      await loginRun(ctx, optionsOf<{ withKey?: boolean; keyPlacement: 'header' | 'query' }>(cmd));
    });

  auth
    .command('status')
    .description('show the profile, URL, masked key, whether the key works and the rate budget left')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nExamples:\n  $ ljit auth status\n  $ ljit auth status -o json --profile staging')
    .action(async (_opts, cmd: Command) => {
      const { statusRun } = await import('./status.js');
      await statusRun(ctx, optionsOf<{ output: 'table' | 'json' }>(cmd));
    });

  auth
    .command('logout')
    .description('forget the key saved for a profile')
    .addHelpText('after', '\nExamples:\n  $ ljit auth logout\n  $ ljit auth logout --profile staging')
    .action(async (_opts, cmd: Command) => {
      const { logoutRun } = await import('./logout.js');
      await logoutRun(ctx, optionsOf(cmd));
    });
}
