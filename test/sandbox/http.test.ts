import { describe, expect, it } from 'vitest';
import { METEOR_ALPHABET } from '../../src/sandbox/ids.js';
import { call, useSandbox, visitInput } from '../helpers/sandbox.js';

describe('HTTP edges', () => {
  it('answers 400 for a body that is not JSON, or empty', async () => {
    const sb = await useSandbox({ seed: 1 });
    const bad = await call(sb, 'POST', '/visits', { rawBody: '[{"id": 1,]' });
    expect(bad.status).toBe(400);
    expect(bad.body.meta.error).toMatch(/^request body is not valid JSON: /);
    const empty = await call(sb, 'POST', '/visits', { rawBody: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.meta.error).toMatch(/request body is empty/);
    const _id = sb.visits()[0]!._id as string;
    const put = await call(sb, 'PUT', `/visits/${_id}`, { rawBody: 'obs=hello', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(put.status).toBe(400);
    expect(put.body.meta.error).toMatch(/not valid JSON/);
  });

  it('answers 404 for unknown routes and 405 with Allow for the wrong method', async () => {
    const sb = await useSandbox();
    for (const path of ['/api/v2/leads', '/api/v1/visits', '/', '/api/v2/visits/a/b']) {
      const res = await fetch(`${sb.origin}${path}`, { headers: { Authorization: 'Bearer sandbox' } });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { meta: { error: string } }).meta.error).toMatch(/no such endpoint/);
    }
    const patch = await call(sb, 'PATCH', '/visits/yKQhJZ9B7PTT85kWc', { body: {} });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    expect(patch.body.meta.error).toMatch(/method PATCH is not allowed/);
    const del = await call(sb, 'DELETE', '/visits');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    const head = await call(sb, 'HEAD', '/visits');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const preflight = await call(sb, 'OPTIONS', '/visits', { key: null });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('answers 413 for a body over the limit, and keeps working', async () => {
    const sb = await useSandbox({ maxBodyBytes: 10_000 });
    const big = [visitInput(sb, 1, { obs: 'x'.repeat(20_000) })];
    const res = await call(sb, 'POST', '/visits', { body: big });
    expect(res.status).toBe(413);
    expect(res.body.meta.error).toMatch(/larger than 10000 bytes/);
    expect(sb.visits()).toHaveLength(0);
    expect((await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1)] })).status).toBe(200);
  });
});

describe('authentication', () => {
  it('accepts the key as a Bearer header or ?API_KEY, and answers 401 otherwise', async () => {
    const sb = await useSandbox({ seed: 2 });
    expect((await call(sb, 'GET', '/visits', { keyIn: 'header' })).status).toBe(200);
    expect((await call(sb, 'GET', '/visits', { keyIn: 'query' })).body.meta.totalRecords).toBe(2);
    const missing = await call(sb, 'GET', '/visits', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.meta.error).toMatch(/missing API key/);
    const wrong = await call(sb, 'GET', '/visits', { key: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ meta: { error: 'invalid API key' }, data: null });
    const basic = await call(sb, 'GET', '/visits', { key: null, headers: { Authorization: 'Basic c2FuZGJveA==' } });
    expect(basic.status).toBe(401);
    const wrongPost = await call(sb, 'POST', '/visits', { key: 'nope', body: [visitInput(sb, 1)] });
    expect(wrongPost.status).toBe(401);
    expect(sb.visits()).toHaveLength(2);
  });

  it('gives each key its own company, derived from the key, seeing only its own visits', async () => {
    const sb = await useSandbox({ keys: ['alpha', 'beta'], seed: 4, randomSeed: 3 });
    const [a, b] = [sb.companyIdFor('alpha'), sb.companyIdFor('beta')];
    expect(a).toMatch(new RegExp(`^[${METEOR_ALPHABET}]{17}$`));
    expect(a).not.toBe(b);
    const again = await useSandbox({ keys: ['beta'] });
    expect(again.companyIdFor('beta')).toBe(b);

    const alphaList = await call(sb, 'GET', '/visits', { key: 'alpha' });
    expect((alphaList.body.data as { companyId: string }[]).every((v) => v.companyId === a)).toBe(true);
    expect(alphaList.body.meta.totalRecords).toBe(4);
    const betaId = sb.visits('beta')[0]!._id as string;
    expect((await call(sb, 'GET', `/visits/${betaId}`, { key: 'alpha' })).status).toBe(404);
    expect((await call(sb, 'PUT', `/visits/${betaId}`, { key: 'alpha', body: { obs: 'x' } })).status).toBe(404);
    expect((await call(sb, 'DELETE', `/visits/${betaId}`, { key: 'alpha' })).status).toBe(404);
    expect((await call(sb, 'GET', '/visits', { key: 'alpha', query: { _id: betaId } })).body.meta.totalRecords).toBe(0);
    // The same ERP id in two companies is two visits.
    await call(sb, 'POST', '/visits', { key: 'alpha', body: [visitInput(sb, 77, {}, 'alpha')] });
    await call(sb, 'POST', '/visits', { key: 'beta', body: [visitInput(sb, 77, {}, 'beta')] });
    expect(sb.visits('alpha')).toHaveLength(5);
    expect(sb.visits('beta')).toHaveLength(5);
  });

  it('uses the key "sandbox" when none is configured', async () => {
    const sb = await useSandbox();
    expect(sb.keys).toEqual(['sandbox']);
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}/api/v2`);
    expect(sb.origin).toBe(`http://127.0.0.1:${sb.port}`);
  });
});
