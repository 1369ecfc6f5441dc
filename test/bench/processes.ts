import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SandboxOptions } from '../../src/sandbox/server.js';
import { BIN } from '../helpers/cli.js';

/**
 * Benchmarks run the sandbox in a process of its own, so its records never count towards the memory of
 * the ljit process being measured, and measure ljit as users run it: the built bin in a child process.
 */
export function startSandboxProcess(opts: SandboxOptions): Promise<{ url: string; stop: () => void }> {
  const server = pathToFileURL(resolve(import.meta.dirname, '../../dist/sandbox/server.js')).href;
  const script = `const { startSandbox } = await import(${JSON.stringify(server)}); const sb = await startSandbox(${JSON.stringify(opts)}); console.log(sb.url);`;
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (c: Buffer) => resolvePromise({ url: c.toString('utf8').trim(), stop: () => child.kill('SIGKILL') }));
  });
}

/** Peak RSS so far of a running process in MB (VmHWM, Linux). */
function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMb: number;
  stdoutBytes: number;
}

/** Runs the built CLI; stdout is counted, not kept, unless `keepStdout`. */
export async function runMeasured(args: string[], env: Record<string, string>, keepStdout = false): Promise<Measured> {
  const t = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdoutBytes += c.length;
    if (keepStdout) stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, peakRssMb(child.pid ?? 0) ?? 0);
  }, 50);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(poll);
  return { code, stdout, stderr, ms: performance.now() - t, peakRssMb: Math.round(peak), stdoutBytes };
}
