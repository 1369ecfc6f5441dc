import type { ChalkInstance } from 'chalk';
import { oneLine } from '../output/sanitize.js';
import { drawTable, type DrawCell } from '../output/table.js';
import { truncate } from '../output/text.js';
import { NO_DRIVER, type DriverCounts, type StatusCounts } from './counts.js';
import type { Change, ChangeKind } from './diff.js';
import { renderDriverTable } from './status-table.js';

/**
 * The watch board as lines of text: a pure function of the watch's state, so tests and the terminal see
 * the same frame. The terminal side (alternate screen, redraw in place) lives in the watch command.
 */

export interface RecentChange {
  at: number;
  change: Change;
}

export interface BoardState {
  date: string;
  driver?: string;
  territories: readonly string[];
  intervalMs: number;
  polls: number;
  /** When the shown data arrived; undefined before the first successful poll. */
  refreshedAt?: number;
  visitCount: number;
  rows: readonly DriverCounts[];
  /** Counts of the poll before, to highlight cells that moved. */
  previous?: ReadonlyMap<string, StatusCounts>;
  /** Drivers the last poll's changes touched. */
  touched: ReadonlySet<string>;
  /** Newest first. */
  recent: readonly RecentChange[];
  /** Requests the last poll cost. */
  requestsPerPoll: number;
  /** The server's last word on the budget (gate.lastInfo). */
  budget?: { remaining: number | undefined; resetMs: number | undefined };
  /** The last poll failed: the board shows older data. */
  error?: { at: number; message: string };
  nextAt?: number;
}

export interface BoardLayout {
  chalk: ChalkInstance;
  /** Terminal columns and rows; 0 when unknown. */
  width: number;
  height: number;
}

/** Local wall-clock time, HH:MM:SS. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

const KIND_STYLE: Record<ChangeKind, (chalk: ChalkInstance) => (t: string) => string> = {
  new: (c) => c.cyan,
  removed: (c) => c.magenta,
  started: (c) => c.yellow,
  closed: (c) => c.green,
  skipped: (c) => c.red,
  reopened: (c) => c.blue,
  reassigned: (c) => c.magenta,
  confirmed: (c) => c.green,
};

function driverOf(state: { driverId: string; name: string } | null): string {
  if (!state) return '';
  return oneLine(state.name) || oneLine(state.driverId) || NO_DRIVER;
}

/** Who, and for a reassignment or a skip, the detail that matters. */
function detail(c: Change): string {
  if (c.kind === 'reassigned') return `${driverOf(c.before)} → ${driverOf(c.after)}`;
  if (c.kind === 'skipped' && c.after?.skippedReasonId) return `${driverOf(c.after)}, reason ${oneLine(c.after.skippedReasonId)}`;
  return driverOf(c.after ?? c.before);
}

function fitWidth(text: string, width: number): string {
  return width > 0 ? truncate(text, width) : text;
}

export function renderBoard(s: BoardState, layout: BoardLayout): string[] {
  const { chalk, width } = layout;
  const lines: string[] = [];
  const scope = [s.date, s.driver !== undefined ? `driver ${s.driver}` : undefined, s.territories.length > 0 ? `territory ${s.territories.join(', ')}` : undefined]
    .filter((p) => p !== undefined)
    .join(' · ');
  lines.push(chalk.bold(fitWidth(`Visits ${oneLine(scope)}: ${s.visitCount} visit${s.visitCount === 1 ? '' : 's'}`, width)));

  const perHour = Math.round((s.requestsPerPoll * 3_600_000) / s.intervalMs);
  const budget =
    s.budget?.remaining !== undefined
      ? `budget ${s.budget.remaining} left${s.budget.resetMs !== undefined ? `, window resets in ${formatSeconds(s.budget.resetMs)}` : ''}`
      : 'budget not reported';
  const status = [
    s.refreshedAt !== undefined ? `refreshed ${clockTime(s.refreshedAt)}` : 'loading…',
    `every ${formatSeconds(s.intervalMs)}`,
    s.nextAt !== undefined ? `next ${clockTime(s.nextAt)}` : undefined,
    `${s.requestsPerPoll} req/poll ≈ ${perHour}/h`,
    budget,
  ]
    .filter((p) => p !== undefined)
    .join(' · ');
  lines.push(chalk.dim(fitWidth(status, width)));
  lines.push(s.error ? chalk.red(fitWidth(`⚠ ${clockTime(s.error.at)} poll failed: ${oneLine(s.error.message)}; showing the last good data, still watching`, width)) : '');

  if (s.rows.length > 0) {
    lines.push(...renderDriverTable(s.rows, { chalk, width, marked: s.touched, ...(s.previous ? { previous: s.previous } : {}) }).replace(/\n$/, '').split('\n'));
  } else if (s.refreshedAt !== undefined) {
    lines.push('No visits match.');
  }
  lines.push('');

  const latest = s.recent[0]?.at;
  lines.push(chalk.bold('Changes') + chalk.dim(latest !== undefined ? ` (• from the poll at ${clockTime(latest)})` : ''));
  if (s.recent.length === 0) {
    lines.push(chalk.dim(s.refreshedAt !== undefined ? 'none since the watch started' : ''));
    return lines;
  }
  const room = layout.height > 0 ? Math.max(1, layout.height - lines.length - 1) : s.recent.length;
  const shown = s.recent.slice(0, room);
  const rows = shown.map((r): DrawCell[] => {
    const isLatest = r.at === latest;
    const tone = isLatest ? (t: string) => t : chalk.dim;
    return [
      { text: `${isLatest ? '•' : ' '} ${clockTime(r.at)}`, style: tone },
      { text: r.change.kind, style: isLatest ? KIND_STYLE[r.change.kind](chalk) : chalk.dim },
      { text: oneLine(r.change.docNo), style: tone },
      { text: oneLine(r.change.customer), style: tone },
      { text: detail(r.change), style: tone },
    ];
  });
  lines.push(...drawTable(['', '', '', '', ''], rows, { width, shrink: [false, false, false, true, true], chalk, header: false }).replace(/\n$/, '').split('\n'));
  if (shown.length < s.recent.length) lines.push(chalk.dim(`… ${s.recent.length - shown.length} older`));
  return lines;
}
