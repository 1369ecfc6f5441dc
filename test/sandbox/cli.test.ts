import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useTempDir } from '../helpers/sandbox.js';

const BIN = resolve(import.meta.dirname, '../../bin/ljit.js');

function spawnLjit(args: string[], dataDir: string): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LJIT_DATA_DIR: dataDir, LJIT_CONFIG_DIR: join(dataDir, 'config'), NO_COLOR: '1' } });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });
}

describe('ljit sandbox (built binary)', () => {
  it('serve prints its URL first on stdout, answers, and exits 0 on SIGTERM after saving', async () => {
    const dir = useTempDir();
    const file = join(dir, 'visits.ndjson');
    const child = spawnLjit(['sandbox', 'serve', '--port', '0', '--seed', '3', '--random-seed', '1', '--rate-limit', '5/1s', '--data', file], dir);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((done, fail) => {
      const rl = createInterface({ input: child.stdout });
      rl.once('line', done);
      child.once('exit', (code) => fail(new Error(`exited ${String(code)}: ${stderr}`)));
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);

    const res = await fetch(`${firstLine}/visits`, { headers: { Authorization: 'Bearer sandbox' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { meta: { totalRecords: number } }).meta.totalRecords).toBe(3);
    // --rate-limit reaches the sandbox even though the root command has an option of the same name.
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stderr).toContain(`LetsJobIt sandbox listening on ${firstLine}`);
    expect(stderr).toMatch(/key: sandbox \(company [2-9A-Za-z]{17}, 3 visits\)/);
    expect(stderr).toContain(`curl -H "Authorization: Bearer sandbox" "${firstLine}/visits"`);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it('reset writes the demo set into the data dir', async () => {
    const dir = useTempDir();
    const child = spawnLjit(['sandbox', 'reset'], dir);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exited(child)).toBe(0);
    const file = join(dir, 'sandbox', 'visits.ndjson');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(251);
    expect(stderr).toContain(`250 visits in ${file}`);
  });

  it('documents serve with examples and rejects a bad flag value with exit code 2', async () => {
    const dir = useTempDir();
    const help = spawnLjit(['sandbox', 'serve', '--help'], dir);
    let out = '';
    help.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await exited(help)).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain('--drop-rate <p>');
    const bad = spawnLjit(['sandbox', 'serve', '--fail-rate', '2'], dir);
    expect(await exited(bad)).toBe(2);
  });
});
