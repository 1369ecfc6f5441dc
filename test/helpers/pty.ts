import { spawn } from 'node:child_process';
import { BIN, isolatedDirs } from './cli.js';

/**
 * A program on a pseudo-terminal, for what only a terminal gets (prompts, progress lines): util-linux
 * `script` allocates the pty and runs the command in it, and its own piped stdin becomes the keyboard.
 * No native module needed. `script -e` exits with the program's exit code.
 */

export interface PtyOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  cols?: number;
  rows?: number;
  /** The whole session is killed after this long (default 60 s). */
  timeoutMs?: number;
}

export interface PtySession {
  /** Everything the terminal showed so far: the program's stdout and stderr, and the echo of typed keys. */
  readonly output: string;
  /** `output` without escape sequences and carriage returns, for assertions. */
  readonly text: string;
  /**
   * Resolves with `text` once it matches (a predicate sees the raw output, escapes included); rejects,
   * showing what was there, after `timeoutMs`.
   */
  waitFor(pattern: string | RegExp | ((output: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Types `keys` ("y\n", "\x03" for Ctrl-C). */
  send(keys: string): void;
  /** The program's exit code (or -1 when killed). */
  readonly exit: Promise<number>;
  kill(): void;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/* eslint-disable no-control-regex */
export function plainText(output: string): string {
  return output
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '');
}
/* eslint-enable no-control-regex */

export function spawnPty(argv: readonly string[], opts: PtyOptions = {}): PtySession {
  const command = `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 40} 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', ...opts.env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    output += c.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // The keyboard may be gone by the time a key is sent; that is the program's business, not an error here.
  child.stdin.on('error', () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      resolve(code ?? -1);
    });
  });

  return {
    get output() {
      return output;
    },
    get text() {
      return plainText(output);
    },
    waitFor(pattern, timeoutMs = 20_000) {
      const matches = () =>
        typeof pattern === 'function' ? pattern(output) : typeof pattern === 'string' ? plainText(output).includes(pattern) : pattern.test(plainText(output));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matches()) {
            done();
            resolve(plainText(output));
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`the program ended before ${String(pattern)} appeared; it showed:\n${plainText(output)}`));
          }
        };
        const t = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${String(pattern)}; the terminal showed:\n${plainText(output)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(t);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    send(keys) {
      child.stdin.write(keys);
    },
    exit,
    kill() {
      child.kill('SIGKILL');
    },
  };
}

/** The built ljit on a terminal, with its own config, cache and data directories unless `env` says otherwise. */
export function ljitInPty(args: readonly string[], opts: PtyOptions = {}): PtySession {
  return spawnPty([process.execPath, BIN, ...args], { ...opts, env: { ...isolatedDirs(), ...opts.env } });
}
