import type { Context } from '../context.js';

/**
 * One progress line on stderr, redrawn in place with `\r`, only when stderr is a terminal (never on a
 * pipe or in CI logs): rows done / total, rows per second, time left. Redrawn at most 5 times a second.
 */
export class Progress {
  private lastDraw = 0;
  private drawn = false;
  private started: number;
  private readonly enabled: boolean;

  constructor(
    private readonly ctx: Context,
    private label: string,
    quiet = false,
  ) {
    this.enabled = ctx.io.stderrIsTTY && !quiet && !ctx.env.CI;
    this.started = ctx.clock.now();
  }

  /** A new phase: the rate and ETA restart. */
  phase(label: string): void {
    this.label = label;
    this.started = this.ctx.clock.now();
    this.lastDraw = 0;
  }

  update(done: number, total?: number, force = false): void {
    if (!this.enabled) return;
    const now = this.ctx.clock.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = done / seconds;
    const parts = [`${this.label} ${fmt(done)}${total !== undefined ? ` / ${fmt(total)} rows` : ' rows'}`];
    if (total !== undefined && total > 0) parts[0] += ` (${Math.floor((done / total) * 100)}%)`;
    if (seconds >= 1) parts.push(`${fmt(Math.round(rate))} rows/s`);
    if (total !== undefined && rate > 0 && seconds >= 1 && done < total) parts.push(`ETA ${duration((total - done) / rate)}`);
    this.ctx.io.stderr.write(`\r${parts.join('  ')}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line, so the summary starts on a clean one. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.ctx.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-GB');
}

export function duration(seconds: number): string {
  if (seconds < 10) return `${(Math.ceil(seconds * 10) / 10).toFixed(1)} s`;
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
