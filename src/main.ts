import { CommanderError } from 'commander';
import type { Context } from './context.js';
import { ExitCode, LjitError } from './errors.js';
import { OutputClosedError } from './output/sink.js';
import { buildProgram } from './program.js';
import { redact } from './redact.js';

/**
 * Parses argv, runs the command and maps every error to an exit code: the one catch in ljit.
 * Returns the exit code; only src/cli.ts sets it on the process.
 */
export async function main(argv: readonly string[], ctx: Context): Promise<number> {
  const program = buildProgram(ctx);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    return reportError(err, ctx, verbose);
  }
}

export function reportError(err: unknown, ctx: Context, verbose: boolean): number {
  const write = (line: string) => ctx.io.stderr.write(`${redact(line)}\n`);
  if (err instanceof CommanderError) {
    // Help and --version "fail" with exit code 0; every parse error is a usage error (2), not Commander's 1.
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
    return ExitCode.usage;
  }
  // The reader went away (`ljit visits list | head`): what it wanted was delivered.
  if (err instanceof OutputClosedError) return ExitCode.ok;
  if (ctx.signal.aborted && !(err instanceof LjitError && err.exitCode === ExitCode.interrupted)) {
    write('ljit: interrupted');
    return ExitCode.interrupted;
  }
  if (err instanceof LjitError) {
    write(`ljit: ${err.message}`);
    if (err.hint) write(err.hint);
    if (verbose && err.exitCode === ExitCode.unexpected && err.stack) write(err.stack);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`ljit: unexpected error: ${message}`);
  if (verbose && err instanceof Error && err.stack) write(err.stack);
  else write('Run again with --verbose for details.');
  return ExitCode.unexpected;
}
