import { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';
import type { IO } from '../context.js';

/**
 * Whether a stream gets colour, decided per stream from injected facts only (never chalk's global, which
 * reads process.env and process.stdout itself). Order:
 *
 * 1. `FORCE_COLOR` set and non-empty: "0" or "false" → off, "1"/"2"/"3" → that level, anything else → 1.
 *    (FORCE_COLOR=0 forcing colour off follows Node and supports-color.)
 * 2. `NO_COLOR` set and non-empty → off (no-color.org).
 * 3. `--no-color` → off.
 * 4. Otherwise on only when the stream is a terminal (and TERM is not "dumb"); level from COLORTERM/TERM.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface ColorDecision {
  env: Env;
  /** Is the stream the colour is for a terminal? */
  isTTY: boolean;
  /** False after `--no-color`. */
  color: boolean;
}

export function colorLevel({ env, isTTY, color }: ColorDecision): ColorSupportLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    const f = force.trim().toLowerCase();
    if (f === '0' || f === 'false') return 0;
    if (f === '2') return 2;
    if (f === '3') return 3;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!color || !isTTY || env.TERM === 'dumb') return 0;
  const colorterm = env.COLORTERM?.toLowerCase();
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  if (env.TERM?.includes('256') === true) return 2;
  return 1;
}

/** A chalk instance of its own for one stream; level 0 means every style is the identity. */
export function createColor(decision: ColorDecision): ChalkInstance {
  return new Chalk({ level: colorLevel(decision) });
}

/** Colour for `io.stdout` or `io.stderr`. */
export function colorFor(io: IO, stream: 'stdout' | 'stderr', opts: { env: Env; color: boolean }): ChalkInstance {
  return createColor({ env: opts.env, color: opts.color, isTTY: stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY });
}
