import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { systemClock, type Clock, type Context } from '../../src/context.js';
import { main } from '../../src/main.js';

export const BIN = resolve(import.meta.dirname, '../../bin/ljit.js');

/** Fresh config, cache and data directories, so no test sees another's profiles, rate log or journals. */
export function isolatedDirs(): { LJIT_CONFIG_DIR: string; LJIT_CACHE_DIR: string; LJIT_DATA_DIR: string } {
  const root = mkdtempSync(join(tmpdir(), 'ljit-test-'));
  return { LJIT_CONFIG_DIR: join(root, 'config'), LJIT_CACHE_DIR: join(root, 'cache'), LJIT_DATA_DIR: join(root, 'data') };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  stdinTTY?: boolean;
  columns?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Runs ljit in this process with in-memory streams: fast, and TTY behaviour can be switched on. */
export async function runInProcess(argv: string[], opts: InProcessOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const env = { ...isolatedDirs(), ...opts.env };
  const ctx: Context = {
    io: {
      stdout,
      stderr,
      stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
      stdoutIsTTY: opts.stdoutTTY ?? false,
      stderrIsTTY: opts.stderrTTY ?? false,
      stdinIsTTY: opts.stdinTTY ?? false,
      columns: opts.stdoutTTY ? (opts.columns ?? 120) : 0,
    },
    clock: opts.clock ?? systemClock,
    env,
    paths: { config: env.LJIT_CONFIG_DIR, cache: env.LJIT_CACHE_DIR, data: env.LJIT_DATA_DIR },
    signal: opts.signal ?? new AbortController().signal,
    version: '0.0.0-test',
  };
  const code = await main(argv, ctx);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  timeoutMs?: number;
}

/** Runs the built CLI as a child process, as a user or a script would. */
export function runCli(argv: string[], opts: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...isolatedDirs(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
