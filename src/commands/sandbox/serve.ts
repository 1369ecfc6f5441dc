import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { RateLimitSpec } from '../../sandbox/rate-limit.js';
import { DEFAULT_RATE_LIMIT, startSandbox, type SandboxOptions } from '../../sandbox/server.js';

export interface ServeCommandOptions {
  port: number;
  host: string;
  key?: string[];
  seed?: number;
  randomSeed?: string;
  data?: string;
  rateLimit?: RateLimitSpec | null;
  latency?: number;
  jitter?: number;
  failRate?: number;
  dropRate?: number;
}

function describeRate(spec: RateLimitSpec | null): string {
  return spec ? `${spec.limit} requests per ${spec.windowMs / 1000} s per key` : 'off';
}

/** Runs the sandbox until ctx.signal aborts (Ctrl-C / SIGTERM), then flushes the data file and returns. */
export async function serveRun(ctx: Context, o: ServeCommandOptions): Promise<void> {
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const rateLimit = o.rateLimit === undefined ? DEFAULT_RATE_LIMIT : o.rateLimit;
  const dataFile = o.data ? resolve(o.data) : undefined;
  const opts: SandboxOptions = {
    port: o.port,
    host: o.host,
    rateLimit,
    onError: (e) => err(`ljit sandbox: could not save ${dataFile ?? 'data'}: ${e instanceof Error ? e.message : String(e)}`),
    ...(o.key ? { keys: o.key } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.randomSeed !== undefined ? { randomSeed: o.randomSeed } : {}),
    ...(dataFile ? { dataFile } : {}),
    ...(o.latency !== undefined ? { latencyMs: o.latency } : {}),
    ...(o.jitter !== undefined ? { jitterMs: o.jitter } : {}),
    ...(o.failRate !== undefined ? { failRate: o.failRate } : {}),
    ...(o.dropRate !== undefined ? { dropRate: o.dropRate } : {}),
  };
  let sandbox;
  try {
    sandbox = await startSandbox(opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${o.port} on ${o.host} is already in use`, 'Pick another with --port, or --port 0 for any free port.');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${o.host}: no such local address`);
    throw e;
  }

  // Scripts read the first stdout line; everything for humans goes to stderr.
  ctx.io.stdout.write(`${sandbox.url}\n`);
  err(`LetsJobIt sandbox listening on ${sandbox.url}`);
  for (const key of sandbox.keys) err(`key: ${key} (company ${sandbox.companyIdFor(key)}, ${sandbox.visits(key).length} visits)`);
  err(`rate limit: ${describeRate(rateLimit)}`);
  err(`data: ${dataFile ?? 'in memory (use --data FILE to keep it)'}`);
  const faults = [
    o.latency ? `latency ${o.latency} ms` : '',
    o.jitter ? `jitter ${o.jitter} ms` : '',
    o.failRate ? `fail-rate ${o.failRate}` : '',
    o.dropRate ? `drop-rate ${o.dropRate}` : '',
  ].filter(Boolean);
  if (faults.length > 0) err(`faults: ${faults.join(', ')}${o.randomSeed !== undefined ? ` (random seed ${o.randomSeed})` : ''}`);
  err(`try: curl -H "Authorization: Bearer ${sandbox.keys[0] ?? 'sandbox'}" "${sandbox.url}/visits"`);
  err('Press Ctrl-C to stop.');

  await new Promise<void>((done) => {
    if (ctx.signal.aborted) done();
    else ctx.signal.addEventListener('abort', () => done(), { once: true });
  });
  err('stopping: finishing requests and saving data...');
  await sandbox.close();
  err(`sandbox stopped after ${sandbox.stats.requests} requests`);
}
