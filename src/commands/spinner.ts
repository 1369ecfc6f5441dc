import type { GlobalOptions } from '../cli/globals.js';
import type { Context } from '../context.js';

export interface Spinner {
  stop(): void;
}

/** An ora spinner on stderr, only when stderr is a terminal and not --verbose (its lines would interleave). */
export async function startSpinner(ctx: Context, opts: GlobalOptions, text: string): Promise<Spinner> {
  // A pseudo-terminal with no size (as under `script` in CI) reports 0 columns, and ora then computes an
  // endless number of lines to clear: no spinner there either.
  const columns = (ctx.io.stderr as { columns?: number }).columns ?? 0;
  if (!ctx.io.stderrIsTTY || opts.verbose || ctx.env.CI || columns <= 0) return { stop: () => undefined };
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: ctx.io.stderr, discardStdin: false }).start();
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
}
