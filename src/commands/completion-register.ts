import { Argument, type Command } from 'commander';
import type { Context } from '../context.js';

export function registerCompletionCommand(program: Command, ctx: Context): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, output formats, 0/1 values, profiles)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Examples:
  $ ljit completion bash > ~/.local/share/bash-completion/completions/ljit
  $ ljit completion zsh > "\${fpath[1]}/_ljit"
  $ ljit completion fish > ~/.config/fish/completions/ljit.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { bashScript, zshScript, fishScript } = await import('./completion.js');
      const script = shell === 'bash' ? bashScript(program) : shell === 'zsh' ? zshScript(program) : fishScript(program);
      ctx.io.stdout.write(script);
    });

  // Called by the completion scripts for profile names; hidden from help.
  program
    .command('__profiles', { hidden: true })
    .description('list profile names, one per line')
    .action(async () => {
      const { openConfigStore } = await import('../config/store.js');
      const store = await openConfigStore(ctx.paths.config, () => undefined);
      for (const name of store.profileNames()) ctx.io.stdout.write(`${name}\n`);
    });
}
