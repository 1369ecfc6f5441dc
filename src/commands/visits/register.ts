import type { Command } from 'commander';
import type { Context } from '../../context.js';

export function registerVisitsCommands(program: Command, _ctx: Context): void {
  program.command('visits').description('list, get, import, update and delete visits');
}
