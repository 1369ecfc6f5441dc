import { FLAG_FIELDS, INPUT_FIELDS } from '../api/schemas.js';
import { parseFlag } from '../api/scalars.js';

/**
 * The flat encoding of visit fields, one text cell per field: what `visits list -o csv` writes and what the
 * CSV importer reads back, so `fromCell(f, toCell(f, v))` gives a value `visitInputSchema` reads as `v`.
 *
 * | field                                                  | cell                                          |
 * | ------------------------------------------------------ | --------------------------------------------- |
 * | required_skills, allowed_vehicles, subContractorIds    | `a|b|c`; a `|` in an item is `\|`, `\` is `\\` |
 * | time_windows                                           | `08:30-13:00|15:00-17:30` (`HH:MM[:SS]`)      |
 * | flags (FLAG_FIELDS)                                    | `1` / `0`                                     |
 * | lines, any other object or array                       | JSON                                          |
 * | null, undefined                                        | empty                                         |
 * | numbers, text                                          | as they are                                   |
 *
 * Where the short form would not read back exactly (an empty list, items with outer blanks, a window that
 * is not whole seconds), the cell is the JSON of the value instead; `fromCell` accepts JSON for these
 * fields too, and plain seconds (`30600-64800`) for time windows.
 */

/** The default columns of `visits list -o csv`: exactly the fields the importer reads, in schema order. */
export const CSV_EXPORT_COLUMNS: readonly string[] = [...INPUT_FIELDS];

export const LIST_FIELDS = ['required_skills', 'allowed_vehicles', 'subContractorIds'] as const;
const LIST_SET = new Set<string>(LIST_FIELDS);
const FLAG_SET = new Set<string>(FLAG_FIELDS);
const INPUT_SET = new Set<string>(INPUT_FIELDS);
/** Input fields whose cell is always JSON. */
const JSON_FIELDS = new Set<string>(['lines']);

const SECONDS_IN_DAY = 86_400;

/** A cell for any value, with no field-specific rule: text as is, objects as JSON, null as empty. */
export function genericCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** The cell for one visit field (unknown fields get the generic rule). */
export function toCell(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (LIST_SET.has(field) && Array.isArray(value)) return listCell(value);
  if (field === 'time_windows' && Array.isArray(value)) return windowsCell(value) ?? JSON.stringify(value);
  if (FLAG_SET.has(field)) {
    const flag = parseFlag(value);
    if (flag !== undefined) return String(flag);
  }
  return genericCell(value);
}

/**
 * The value for one visit field read from a cell, in a form `visitInputSchema` accepts (numbers and flags
 * stay text; the schema coerces them). An empty cell gives undefined: whether that means "leave the field
 * out" or "send an empty string" is the caller's decision. Text that does not parse is returned as is, so
 * the schema reports it with the field's own message.
 */
export function fromCell(field: string, text: string): unknown {
  if (text === '') return undefined;
  if (LIST_SET.has(field)) return parseList(text);
  if (field === 'time_windows') return parseWindows(text) ?? text;
  if (JSON_FIELDS.has(field)) return parseJson(text) ?? text;
  if (INPUT_SET.has(field)) return text;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(text) ?? text;
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---- lists --------------------------------------------------------------------------------------------

function escapeItem(item: string): string {
  return item.replace(/[\\|]/g, (c) => `\\${c}`);
}

function listCell(items: readonly unknown[]): string {
  if (items.length > 0 && items.every((i) => typeof i === 'string')) {
    const text = (items as string[]).map(escapeItem).join('|');
    const back = parseList(text);
    if (back.length === items.length && back.every((b, i) => b === items[i])) return text;
  }
  return JSON.stringify(items);
}

/** `a|b\|c` → ["a", "b|c"]; items trimmed, empty items dropped; a JSON array of text is read as JSON. */
export function parseList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const json = parseJson(trimmed);
    if (Array.isArray(json) && json.every((i) => typeof i === 'string')) return json;
  }
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\\' && (next === '|' || next === '\\')) {
      current += next;
      i++;
    } else if (c === '|') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((i) => i.trim()).filter((i) => i !== '');
}

// ---- time windows ---------------------------------------------------------------------------------------

function wholeSeconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= SECONDS_IN_DAY ? n : undefined;
}

/** Seconds from midnight as `HH:MM`, or `HH:MM:SS` when not whole minutes. 86400 is `24:00`. */
export function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const hm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return s === 0 ? hm : `${hm}:${String(s).padStart(2, '0')}`;
}

/** `8:30`, `08:30`, `08:30:15` or plain seconds `30600` → seconds from midnight. */
export function parseClock(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** The `HH:MM-HH:MM|…` form, or undefined when a window cannot be written that way exactly. */
function windowsCell(windows: readonly unknown[]): string | undefined {
  if (windows.length === 0) return undefined;
  const parts: string[] = [];
  for (const w of windows) {
    if (w === null || typeof w !== 'object' || Array.isArray(w)) return undefined;
    const { earliest, latest, ...rest } = w as Record<string, unknown>;
    const from = wholeSeconds(earliest);
    const to = wholeSeconds(latest);
    if (from === undefined || to === undefined || Object.keys(rest).length > 0) return undefined;
    parts.push(`${formatClock(from)}-${formatClock(to)}`);
  }
  return parts.join('|');
}

/** `08:30-13:00|15:00-17:30` (also `,` or `;` between windows, `–` within) or JSON → windows. */
export function parseWindows(text: string): unknown[] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const json = parseJson(trimmed);
    return Array.isArray(json) ? (json as unknown[]) : undefined;
  }
  const windows: { earliest: number; latest: number }[] = [];
  for (const part of trimmed.split(/[|,;]/)) {
    if (part.trim() === '') continue;
    const m = /^\s*([\d:]+)\s*[-–]\s*([\d:]+)\s*$/.exec(part);
    const earliest = m?.[1] === undefined ? undefined : parseClock(m[1]);
    const latest = m?.[2] === undefined ? undefined : parseClock(m[2]);
    if (earliest === undefined || latest === undefined) return undefined;
    windows.push({ earliest, latest });
  }
  return windows.length > 0 ? windows : undefined;
}
