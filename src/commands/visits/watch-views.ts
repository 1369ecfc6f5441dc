import type { RateInfo } from '../../api/rate-headers.js';
import type { Context } from '../../context.js';
import { clockTime, renderBoard, type BoardState, type RecentChange } from '../../dispatch/board.js';
import { countByDriver, type StatusCounts } from '../../dispatch/counts.js';
import { changeEvent, driversTouched, type Change } from '../../dispatch/diff.js';
import { colorFor } from '../../output/color.js';
import { toJson } from '../../output/format-json.js';
import { oneLine } from '../../output/sanitize.js';
import { redact } from '../../redact.js';
import { registerTerminalRestore } from '../../terminal-restore.js';
import { writeText } from '../../output/sink.js';

/** What one successful poll brought. */
export interface Poll {
  at: number;
  polls: number;
  visits: readonly Record<string, unknown>[];
  changes: readonly Change[];
  requests: number;
  budget: RateInfo | undefined;
  nextAt: number | undefined;
}

export interface WatchView {
  start(): Promise<void>;
  polled(poll: Poll): Promise<void>;
  failed(at: number, message: string, nextAt: number | undefined): Promise<void>;
  /** Always called, also after an error: gives the terminal back. */
  stop(): Promise<void>;
}

export interface WatchScope {
  date: string;
  driver?: string;
  territories: readonly string[];
  intervalMs: number;
}

// Alternate screen + hidden cursor while watching, so the board never spills into the scroll-back.
const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_SCREEN_END = '\x1b[J';
/** Changes kept for the board (it shows as many as fit). */
const RECENT_KEPT = 50;

/**
 * The live board. On a terminal it redraws in place (cursor home, each line cleared to its end, the rest
 * of the screen cleared) and follows resizes; on exit it leaves the alternate screen and prints the last
 * frame once, so what the dispatcher last saw stays in the scroll-back. Not on a terminal (`-o board`
 * into a file) each frame is appended.
 */
export function createBoardView(ctx: Context, scope: WatchScope, opts: { color: boolean }): WatchView {
  const inPlace = ctx.io.stdoutIsTTY;
  const chalk = colorFor(ctx.io, 'stdout', { env: ctx.env, color: opts.color });
  const out = ctx.io.stdout as NodeJS.WritableStream & { columns?: number; rows?: number };
  const state: BoardState & { recent: RecentChange[] } = {
    date: scope.date,
    ...(scope.driver !== undefined ? { driver: scope.driver } : {}),
    territories: scope.territories,
    intervalMs: scope.intervalMs,
    polls: 0,
    visitCount: 0,
    rows: [],
    touched: new Set(),
    recent: [],
    requestsPerPoll: 0,
  };
  let started = false;
  let lastFrame = '';
  let unregisterRestore = (): void => undefined;

  const frame = (): string => {
    const width = inPlace && typeof out.columns === 'number' && out.columns > 0 ? out.columns : ctx.io.columns;
    const height = inPlace && typeof out.rows === 'number' && out.rows > 0 ? out.rows : 0;
    return renderBoard(state, { chalk, width, height }).join('\n');
  };
  const draw = async () => {
    lastFrame = frame();
    if (inPlace) await writeText(out, `${HOME}${lastFrame.split('\n').join(`${CLEAR_LINE_END}\n`)}${CLEAR_LINE_END}${CLEAR_SCREEN_END}`);
    else await writeText(out, `${lastFrame}\n\n`);
  };
  const onResize = () => {
    draw().catch(() => undefined); // a redraw that fails is replaced by the next poll's
  };

  return {
    async start() {
      if (inPlace) {
        started = true;
        out.on('resize', onResize);
        unregisterRestore = registerTerminalRestore(LEAVE);
        await writeText(out, ENTER);
        await draw();
      }
    },
    async polled(poll) {
      const previous = new Map<string, StatusCounts>(state.rows.map((r) => [r.driverId, r]));
      state.rows = countByDriver(poll.visits);
      if (state.refreshedAt !== undefined) state.previous = previous;
      state.refreshedAt = poll.at;
      state.polls = poll.polls;
      state.visitCount = poll.visits.length;
      state.touched = driversTouched(poll.changes);
      state.recent.unshift(...poll.changes.map((change) => ({ at: poll.at, change })));
      state.recent.length = Math.min(state.recent.length, RECENT_KEPT);
      state.requestsPerPoll = poll.requests;
      if (poll.budget) state.budget = poll.budget;
      if (poll.nextAt !== undefined) state.nextAt = poll.nextAt;
      else delete state.nextAt;
      delete state.error;
      await draw();
    },
    async failed(at, message, nextAt) {
      state.error = { at, message: redact(message) };
      if (nextAt !== undefined) state.nextAt = nextAt;
      await draw();
    },
    async stop() {
      if (!started) return;
      started = false;
      out.off('resize', onResize);
      unregisterRestore();
      await writeText(out, state.refreshedAt !== undefined ? `${LEAVE}${lastFrame}\n` : LEAVE);
    },
  };
}

/**
 * For scripts: one NDJSON event per change on stdout, trouble as a line on stderr. The first poll is the
 * baseline and says nothing unless `--initial`, which the caller handles by diffing against nothing.
 */
export function createEventView(ctx: Context, scope: WatchScope): WatchView {
  const chatty = ctx.io.stderrIsTTY;
  let failing = false;
  return {
    async start() {
      if (chatty) ctx.io.stderr.write(`ljit: watching visits on ${scope.date} every ${scope.intervalMs / 1000} s; one JSON line per change on stdout. Ctrl-C stops.\n`);
      await Promise.resolve();
    },
    async polled(poll) {
      if (failing) ctx.io.stderr.write(`ljit: ${clockTime(poll.at)} poll ${poll.polls} succeeded again\n`);
      failing = false;
      let text = '';
      for (const change of poll.changes) text += `${toJson(changeEvent(change, poll.at))}\n`;
      await writeText(ctx.io.stdout, text);
    },
    async failed(at, message, nextAt) {
      failing = true;
      ctx.io.stderr.write(`ljit: ${clockTime(at)} poll failed: ${oneLine(redact(message))}${nextAt !== undefined ? `; trying again at ${clockTime(nextAt)}` : ''}\n`);
      await Promise.resolve();
    },
    async stop() {},
  };
}
