import type { Command } from 'commander';
import type { Context } from '../../context.js';

export function registerSandboxCommands(program: Command, _ctx: Context): void {
  program.command('sandbox').description('run a local LetsJobIt API v2 emulator');
}
