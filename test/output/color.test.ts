import chalk from 'chalk';
import { describe, expect, it } from 'vitest';
import { colorFor, colorLevel, createColor } from '../../src/output/color.js';
import { createRenderer } from '../../src/output/renderer.js';
import { referenceVisit } from './fixtures.js';
import { memoryIO } from './helpers.js';

describe('colorLevel', () => {
  it.each([
    ['a terminal', {}, true, true, 1],
    ['a pipe', {}, false, true, 0],
    ['--no-color on a terminal', {}, true, false, 0],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, true, true, 0],
    ['an empty NO_COLOR', { NO_COLOR: '' }, true, true, 1],
    ['FORCE_COLOR on a pipe', { FORCE_COLOR: '1' }, false, true, 1],
    ['FORCE_COLOR over NO_COLOR and --no-color', { FORCE_COLOR: '2', NO_COLOR: '1' }, false, false, 2],
    ['FORCE_COLOR=3', { FORCE_COLOR: '3' }, false, true, 3],
    ['FORCE_COLOR=true', { FORCE_COLOR: 'true' }, false, true, 1],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, true, 0],
    ['an empty FORCE_COLOR on a pipe', { FORCE_COLOR: '' }, false, true, 0],
    ['TERM=dumb', { TERM: 'dumb' }, true, true, 0],
    ['a 256-colour TERM', { TERM: 'xterm-256color' }, true, true, 2],
    ['COLORTERM=truecolor', { COLORTERM: 'truecolor' }, true, true, 3],
  ] as const)('%s → level %d', (_what, env, isTTY, color, level) => {
    expect(colorLevel({ env, isTTY, color })).toBe(level);
  });

  it('returns an instance of its own, never the global chalk', () => {
    const off = createColor({ env: {}, isTTY: false, color: true });
    const on = createColor({ env: { FORCE_COLOR: '1' }, isTTY: false, color: true });
    expect(off).not.toBe(chalk);
    expect(off.red('x')).toBe('x');
    expect(on.red('x')).toBe('\x1b[31mx\x1b[39m');
  });

  it('decides per stream', () => {
    const { io } = memoryIO({ tty: false });
    const mixed = { ...io, stderrIsTTY: true };
    expect(colorFor(mixed, 'stdout', { env: {}, color: true }).level).toBe(0);
    expect(colorFor(mixed, 'stderr', { env: {}, color: true }).level).toBe(1);
  });
});

describe('colour in the terminal table', () => {
  async function table(env: Record<string, string>, color: boolean) {
    const { io, out } = memoryIO({ tty: true });
    const r = createRenderer({ format: 'table', io, color, env, header: true, escapeFormulas: false, kind: 'visits' });
    await r.write(referenceVisit);
    await r.end();
    return out();
  }

  it('is on for a terminal by default', async () => {
    expect(await table({}, true)).toContain('\x1b[32mclosed\x1b[39m');
  });

  it('is off with NO_COLOR or --no-color', async () => {
    expect(await table({ NO_COLOR: '1' }, true)).not.toContain('\x1b[');
    expect(await table({}, false)).not.toContain('\x1b[');
  });

  it('is on with FORCE_COLOR even after --no-color', async () => {
    expect(await table({ FORCE_COLOR: '1' }, false)).toContain('\x1b[32mclosed\x1b[39m');
  });
});
