import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isolatedDirs, runInProcess } from '../helpers/cli.js';
import { ljitInPty } from '../helpers/pty.js';
import { useSandbox } from '../helpers/sandbox.js';

const KEY = 'ljit_TEST_CANARY_9f3';

async function loggedIn(extra: Record<string, string> = {}) {
  const sb = await useSandbox({ keys: [KEY, 'other-key'], seed: 40, randomSeed: 'auth' });
  const dirs = isolatedDirs();
  const login = await runInProcess(['--api-url', sb.url, 'auth', 'login', '--with-key'], { env: { ...dirs, ...extra }, stdin: `${KEY}\n` });
  return { sb, dirs, login };
}

describe('auth login', () => {
  it('checks the key with one request, then saves it in a 0600 file in a 0700 directory', async () => {
    const { sb, dirs, login } = await loggedIn();
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('Logged in: profile "default" now uses key ****_9f3');
    expect(login.stderr).toContain('40 visits visible');
    expect(login.stdout + login.stderr).not.toContain(KEY);
    expect(sb.stats.requests).toBe(1);
    const file = join(dirs.LJIT_CONFIG_DIR, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirs.LJIT_CONFIG_DIR).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { default: { apiUrl: sb.url, apiKey: KEY, keyPlacement: 'header' } } });
  });

  it('saves nothing when the server refuses the key, and exits 4', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dirs = isolatedDirs();
    const res = await runInProcess(['--api-url', sb.url, 'auth', 'login', '--with-key'], { env: dirs, stdin: 'wrong-key-1234' });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('the server refused the API key (401');
    expect(JSON.parse(readFileSync(join(dirs.LJIT_CONFIG_DIR, 'config.json'), 'utf8'))).toEqual({ profiles: {} });
  });

  it('refuses to ask for a key without a terminal (exit 2) and says how to pipe one', async () => {
    const res = await runInProcess(['auth', 'login']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('ljit auth login --with-key');
  });

  it('asks for the key on a terminal without echoing it', async () => {
    const sb = await useSandbox({ keys: [KEY], seed: 5, randomSeed: 'tty' });
    const dirs = isolatedDirs();
    const pty = ljitInPty(['--api-url', sb.url, 'auth', 'login'], { env: dirs });
    await pty.waitFor('(input hidden): ');
    pty.send(`${KEY}\r`);
    expect(await pty.exit).toBe(0);
    expect(pty.text).toContain('Logged in: profile "default"');
    expect(pty.output).not.toContain(KEY);
    expect(JSON.parse(readFileSync(join(dirs.LJIT_CONFIG_DIR, 'config.json'), 'utf8')).profiles.default.apiKey).toBe(KEY);
  });

  it('keeps profiles apart and can send the key in the query', async () => {
    const { sb, dirs } = await loggedIn();
    const res = await runInProcess(['--api-url', sb.url, '--profile', 'other', 'auth', 'login', '--with-key', '--key-placement', 'query'], { env: dirs, stdin: 'other-key' });
    expect(res.code).toBe(0);
    const list = await runInProcess(['--profile', 'other', '--verbose', 'visits', 'list', '-o', 'json'], { env: dirs });
    expect(list.stderr).toContain('API_KEY=***');
    // Each key is its own company, so each profile sees only its own company's visits.
    const companies = (text: string) => new Set((JSON.parse(text) as { companyId: string }[]).map((v) => v.companyId));
    expect(companies(list.stdout)).toEqual(new Set([sb.companyIdFor('other-key')]));
    const mine = await runInProcess(['visits', 'list', '-o', 'json'], { env: dirs });
    expect(companies(mine.stdout)).toEqual(new Set([sb.companyIdFor(KEY)]));
  });
});

describe('auth status and logout', () => {
  it('shows the profile, URL, masked key, that it works and the budget left', async () => {
    const { sb, dirs } = await loggedIn();
    sb.setOptions({ rateLimit: { limit: 100, windowMs: 10_000 } });
    const res = await runInProcess(['auth', 'status', '-o', 'json'], { env: dirs });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ profile: 'default', apiUrl: sb.url, key: '****_9f3', keySource: 'profile', keyWorks: true, visits: 40, rateRemaining: 99 });
    const table = await runInProcess(['auth', 'status'], { env: dirs });
    expect(table.stdout).toMatch(/Key works\s+yes \(40 visits visible\)/);
    expect(table.stdout + table.stderr).not.toContain(KEY);
  });

  it('exits 4 when the key no longer works, and when there is none', async () => {
    const { dirs, sb } = await loggedIn();
    const bad = await runInProcess(['auth', 'status', '-o', 'json'], { env: { ...dirs, LJIT_API_KEY: 'revoked-key' } });
    expect(bad.code).toBe(4);
    expect(JSON.parse(bad.stdout)).toMatchObject({ keySource: 'environment', keyWorks: false });
    const out = await runInProcess(['auth', 'logout'], { env: dirs });
    expect(out.stderr).toContain('Logged out: profile "default"');
    const none = await runInProcess(['--api-url', sb.url, 'visits', 'list'], { env: dirs });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('no API key for profile "default"');
  });

  it('takes flags over environment over profile', async () => {
    const { dirs, sb } = await loggedIn();
    const other = await useSandbox({ keys: [KEY], seed: 3, randomSeed: 'second' });
    const viaEnv = await runInProcess(['visits', 'list', '-o', 'json'], { env: { ...dirs, LJIT_API_URL: other.url } });
    expect(JSON.parse(viaEnv.stdout)).toHaveLength(3);
    const viaFlag = await runInProcess(['--api-url', sb.url, 'visits', 'list', '-o', 'json'], { env: { ...dirs, LJIT_API_URL: other.url } });
    expect(JSON.parse(viaFlag.stdout)).toHaveLength(40);
  });

  it('tightens a config file that others can read, and says so', async () => {
    const { dirs } = await loggedIn();
    const file = join(dirs.LJIT_CONFIG_DIR, 'config.json');
    chmodSync(file, 0o644);
    const res = await runInProcess(['auth', 'status'], { env: dirs });
    expect(res.stderr).toContain('was readable by other users (mode 644); it is now 0600');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, readFileSync(file));
  });
});

describe('proxy', () => {
  it('sends requests through HTTP_PROXY, and straight to hosts in NO_PROXY', async () => {
    const sb = await useSandbox({ keys: [KEY], seed: 2, randomSeed: 'proxy' });
    const seen: string[] = [];
    // A forward proxy on loopback: undici tunnels through it with CONNECT (or sends absolute URLs).
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => proxy.close(() => r())));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const env = { LJIT_API_URL: sb.url, LJIT_API_KEY: KEY, HTTP_PROXY: proxyUrl };
    const via = await runInProcess(['visits', 'list', '-o', 'json'], { env });
    expect(via.code).toBe(0);
    expect(JSON.parse(via.stdout)).toHaveLength(2);
    const host = new URL(sb.url).host;
    expect(seen).toHaveLength(1);
    expect([`CONNECT ${host}`, `GET ${sb.url}/visits?pagination=0`]).toContain(seen[0]);
    const direct = await runInProcess(['visits', 'list', '-o', 'json'], { env: { ...env, NO_PROXY: '127.0.0.1' } });
    expect(JSON.parse(direct.stdout)).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });
});
