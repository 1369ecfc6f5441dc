import type { Command } from 'commander';
import type { Context } from '../../context.js';

export function registerAuthCommands(program: Command, _ctx: Context): void {
  program.command('auth').description('log in, check and log out of LetsJobIt');
}
