import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Benchmarks print a line each and append it, with the machine, to .bench-results/results.ndjson. */
export function report(name: string, figures: Record<string, number | string | boolean>): void {
  const machine = `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const line = { at: new Date().toISOString(), name, machine, ...figures };
  // eslint-disable-next-line no-console
  console.log(`\n[bench] ${name}: ${Object.entries(figures).map(([k, v]) => `${k}=${String(v)}`).join(' ')}\n`);
  mkdirSync('.bench-results', { recursive: true });
  appendFileSync(join('.bench-results', 'results.ndjson'), `${JSON.stringify(line)}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
