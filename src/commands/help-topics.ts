import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** `ljit help <topic>` prints the same text as docs/<topic>.md, so help and docs cannot drift apart. */
export const HELP_TOPICS: Record<string, { file: string; summary: string }> = {
  'exit-codes': { file: 'exit-codes.md', summary: 'what each exit code means' },
  environment: { file: 'configuration.md', summary: 'profiles, environment variables, where files live' },
  'import-format': { file: 'import-format.md', summary: 'the CSV/JSON format visits import reads' },
};

export function readTopic(name: string): string {
  const topic = HELP_TOPICS[name];
  if (!topic) throw new UsageError(`no help topic "${name}"`, `Topics: ${Object.keys(HELP_TOPICS).join(', ')}`);
  return readFileSync(join(packageRoot(), 'docs', topic.file), 'utf8');
}

/** Replaces Commander's help command: `help <command...>` as before, plus the topics above. */
export function registerHelpCommand(program: Command, ctx: Context): void {
  program.helpCommand(false);
  program
    .command('help')
    .description('show help for a command, or a topic: exit-codes, environment, import-format')
    .argument('[name...]', 'a command (e.g. visits list) or a topic')
    .addHelpText('after', `\nExamples:\n  $ ljit help visits list\n  $ ljit help exit-codes\n\nTopics:\n${Object.entries(HELP_TOPICS).map(([k, v]) => `  ${k.padEnd(14)} ${v.summary}`).join('\n')}`)
    .action((names: string[]) => {
      const [first] = names;
      if (first !== undefined && names.length === 1 && HELP_TOPICS[first]) {
        ctx.io.stdout.write(readTopic(first));
        return;
      }
      let cmd: Command = program;
      for (const name of names) {
        const next = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) throw new UsageError(`no command or help topic "${names.join(' ')}"`, 'Run "ljit --help" for commands, "ljit help help" for topics.');
        cmd = next;
      }
      cmd.outputHelp();
    });
}
