import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { ljitInPty, plainText } from '../helpers/pty.js';
import { call, useSandbox } from '../helpers/sandbox.js';

const DAY = '2020-03-31';
const envFor = (sb: Sandbox) => ({ LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! });
const open = (v: Record<string, unknown>) => v.closed === false && v.skipped === false && v.inProgress === false;
const frames = (out: string) => out.split('\x1b[H').length - 1;

/** The last frame drawn in place (after the final cursor-home), as plain text. */
function lastFrame(output: string): string {
  const start = output.lastIndexOf('\x1b[H');
  const tail = start === -1 ? output : output.slice(start + 3);
  const end = tail.indexOf('\x1b[J');
  return plainText(end === -1 ? tail : tail.slice(0, end));
}

describe('visits watch under a pseudo-terminal', () => {
  it('redraws in place as visits are closed, skipped and reassigned, and exits 0 on Ctrl-C', async () => {
    const sb = await useSandbox({ seed: 40, randomSeed: 'watch-pty', seedDates: [DAY], rateLimit: { limit: 100, windowMs: 10_000 } });
    const opens = sb.visits().filter(open);
    const [toClose, toSkip, toMove] = opens;
    const newDriver = sb.visits().find((v) => v.driverId !== toMove!.driverId)!;
    const term = ljitInPty(['visits', 'watch', '--date', DAY, '--interval', '2s'], { env: envFor(sb), cols: 120, rows: 40 });
    try {
      await term.waitFor((out) => lastFrame(out).includes('none since the watch started'));
      const before = frames(term.output);
      for (const [v, body] of [
        [toClose, { closed: 1, confirmClose: 1 }],
        [toSkip, { skipped: 1, skippedReasonId: '3' }],
        [toMove, { driverId: newDriver.driverId, name: newDriver.name }],
      ] as const) {
        expect((await call(sb, 'PUT', `/visits/${String(v!._id)}`, { body })).status).toBe(200);
      }
      await term.waitFor((out) => frames(out) > before && lastFrame(out).includes('reassigned'));
      const screen = lastFrame(term.output);
      expect(screen).toMatch(/^Visits 2020-03-31: 40 visits/m);
      expect(screen).toMatch(/refreshed \d\d:\d\d:\d\d · every 2 s · next \d\d:\d\d:\d\d · 1 req\/poll ≈ 1800\/h · budget \d+ left/);
      expect(screen).toMatch(new RegExp(`^[• ] \\d\\d:\\d\\d:\\d\\d\\s+closed\\s+${String(toClose!.docNo)}`, 'm'));
      expect(screen).toMatch(new RegExp(`^[• ] \\d\\d:\\d\\d:\\d\\d\\s+skipped\\s+${String(toSkip!.docNo)}\\s+.*reason 3$`, 'm'));
      expect(screen).toMatch(new RegExp(`^• \\d\\d:\\d\\d:\\d\\d\\s+reassigned\\s+${String(toMove!.docNo)}\\s+.*${String(toMove!.name)} → ${String(newDriver.name)}$`, 'm'));
      expect(screen).toMatch(new RegExp(`^• ${String(newDriver.name)}\\s+${String(newDriver.driverId)}`, 'm'));
      // In place: the whole session is one alternate screen, never scrolled.
      expect(term.output.split('\x1b[?1049h')).toHaveLength(2);

      term.send('\x03');
      expect(await term.exit).toBe(0);
      const out = term.output;
      expect(out.lastIndexOf('\x1b[?25h\x1b[?1049l')).toBeGreaterThan(out.lastIndexOf('\x1b[H'));
      expect(out).not.toContain('interrupted');
    } finally {
      term.kill();
    }
  }, 30_000);
});
