import { FLAG_FIELDS } from '../api/schemas.js';
import { parseFlag } from '../api/scalars.js';
import { oneLine } from './sanitize.js';
import { formatClock, genericCell } from './visit-cells.js';

/**
 * Values as a person reads them on a terminal (TTY table, detail view): flags as yes/no (ruling 3), time
 * windows as `08:30–18:00`, lists joined with commas, everything sanitized onto one line. Machine formats
 * use visit-cells.ts instead.
 */

const FLAG_SET = new Set<string>(FLAG_FIELDS);

export function yesNo(value: unknown): string | undefined {
  const flag = parseFlag(value);
  return flag === undefined ? undefined : flag === 1 ? 'yes' : 'no';
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** `08:30–13:00, 15:00–17:30`; undefined when the value is not a list of windows. */
export function formatWindows(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const w of value as unknown[]) {
    if (w === null || typeof w !== 'object') return undefined;
    const { earliest, latest } = w as Record<string, unknown>;
    const from = seconds(earliest);
    const to = seconds(latest);
    if (from === undefined || to === undefined || from < 0 || to < 0) return undefined;
    parts.push(`${formatClock(Math.round(from))}–${formatClock(Math.round(to))}`);
  }
  return parts.join(', ');
}

/** 2100 → `35 min`, 5400 → `1 h 30 min`, 45 → `45 s`. */
export function formatDuration(value: unknown): string | undefined {
  const s = seconds(value);
  if (s === undefined || s < 0) return undefined;
  if (s < 60) return `${Math.round(s)} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** One line of sanitized text for a field's value, as a person reads it. */
export function displayValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean' || FLAG_SET.has(field)) {
    const yn = yesNo(value);
    if (yn !== undefined) return yn;
  }
  if (field === 'time_windows') {
    const w = formatWindows(value);
    if (w !== undefined) return w;
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return oneLine((value as unknown[]).map(genericCell).join(', '));
  }
  return oneLine(genericCell(value));
}
