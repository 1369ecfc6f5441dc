import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Everything a command needs from the outside world, injected (gh's Factory, Vercel's Client): streams and
 * TTY flags, the clock, the environment and where files live. Tests build their own; only this file and
 * src/cli.ts read `process`.
 */

export interface IO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width of stdout, or 0 when it is not a terminal. */
  columns: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Paths {
  config: string;
  cache: string;
  data: string;
}

export interface Context {
  io: IO;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  paths: Paths;
  /** Aborted on the first Ctrl-C / SIGTERM; long commands stop dispatching and save what can be resumed. */
  signal: AbortSignal;
  version: string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (ms <= 0) return;
    await delay(ms, undefined, signal ? { signal } : {});
  },
};

/** XDG-style directories (env-paths' layout without the -nodejs suffix); LJIT_*_DIR moves each one. */
export function resolvePaths(env: Readonly<Record<string, string | undefined>>, platform = process.platform, home = homedir()): Paths {
  const app = 'ljit';
  let config: string;
  let cache: string;
  let data: string;
  if (platform === 'darwin') {
    const lib = join(home, 'Library');
    config = join(lib, 'Preferences', app);
    cache = join(lib, 'Caches', app);
    data = join(lib, 'Application Support', app);
  } else if (platform === 'win32') {
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    config = join(appData, app, 'Config');
    cache = join(localAppData, app, 'Cache');
    data = join(localAppData, app, 'Data');
  } else {
    config = join(env.XDG_CONFIG_HOME ?? join(home, '.config'), app);
    cache = join(env.XDG_CACHE_HOME ?? join(home, '.cache'), app);
    data = join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), app);
  }
  return {
    config: env.LJIT_CONFIG_DIR || config,
    cache: env.LJIT_CACHE_DIR || cache,
    data: env.LJIT_DATA_DIR || data,
  };
}

export function createSystemContext(version: string, signal: AbortSignal): Context {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const env = process.env;
  return {
    io: {
      stdout,
      stderr,
      stdin: process.stdin,
      stdoutIsTTY: stdout.isTTY === true,
      stderrIsTTY: stderr.isTTY === true,
      stdinIsTTY: process.stdin.isTTY === true,
      columns: stdout.isTTY ? stdout.columns : 0,
    },
    clock: systemClock,
    env,
    paths: resolvePaths(env),
    signal,
    version,
  };
}
