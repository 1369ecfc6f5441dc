import { PassThrough, Writable } from 'node:stream';
import type { IO } from '../../src/context.js';

/** An IO whose stdout is captured in memory. */
export function memoryIO(opts: { tty: boolean; columns?: number; stdout?: NodeJS.WritableStream }): { io: IO; out: () => string } {
  const chunks: string[] = [];
  const stdout =
    opts.stdout ??
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
  const io: IO = {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    stdoutIsTTY: opts.tty,
    stderrIsTTY: opts.tty,
    stdinIsTTY: false,
    columns: opts.tty ? (opts.columns ?? 120) : 0,
  };
  return { io, out: () => chunks.join('') };
}
