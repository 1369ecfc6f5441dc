import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { median, report } from './report.js';

const RUNS = 20;

function timeOnce(args: string[]): number {
  const t = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - t;
}

it('starts nearly as fast as node itself', () => {
  const cases = { node: ['-e', '0'], version: [BIN, '--version'], visitsHelp: [BIN, 'visits', '--help'] };
  const times: Record<keyof typeof cases, number[]> = { node: [], version: [], visitsHelp: [] };
  for (const args of Object.values(cases)) timeOnce(args); // warm the file cache
  // Interleaved, so a burst of load on a shared machine hits all three alike.
  for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) times[name as keyof typeof cases].push(timeOnce(args));
  const node = median(times.node);
  report('startup', {
    runs: RUNS,
    nodeMs: Math.round(node),
    versionMs: Math.round(median(times.version)),
    visitsHelpMs: Math.round(median(times.visitsHelp)),
    versionRatio: Number((median(times.version) / node).toFixed(2)),
    visitsHelpRatio: Number((median(times.visitsHelp) / node).toFixed(2)),
  });
});
