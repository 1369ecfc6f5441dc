import { spawn } from 'node:child_process';
import { BIN, isolatedDirs } from './cli.js';

/**
 * Runs the built CLI under a pseudo-terminal with util-linux `script`, so stdout is a real TTY (isatty,
 * columns, SIGINT from a typed Ctrl-C) while the test reads every byte and types into stdin.
 */

export interface PtyRun {
  /** Everything the terminal received so far, escape sequences included. */
  output(): string;
  /** Types into the terminal ("\x03" is Ctrl-C). */
  type(text: string): void;
  /** Resolves once `predicate(output)` holds; rejects after `timeoutMs` with the output so far. */
  waitFor(predicate: (output: string) => boolean, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
  kill(): void;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function spawnInPty(argv: readonly string[], opts: { env?: Record<string, string | undefined>; cols?: number; rows?: number } = {}): PtyRun {
  // `script` gives the pty no size when its own stdin is not a terminal: set one, then become the CLI.
  const command = `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 40} 2>/dev/null; exec ${quote(process.execPath)} ${quote(BIN)} ${argv.map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...isolatedDirs(), ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  return {
    output: () => out,
    type: (text) => child.stdin.write(text),
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(out)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for the terminal; got:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    exited,
    kill: () => {
      child.stdin.end();
      child.kill('SIGKILL');
    },
  };
}

/* eslint-disable no-control-regex */
/** The last frame drawn in place (after the final cursor-home), as plain text. */
export function lastFrame(output: string): string {
  const start = output.lastIndexOf('\x1b[H');
  const tail = start === -1 ? output : output.slice(start + 3);
  const end = tail.indexOf('\x1b[J');
  return plain(end === -1 ? tail : tail.slice(0, end));
}

export function plain(text: string): string {
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\r/g, '');
}
/* eslint-enable no-control-regex */
