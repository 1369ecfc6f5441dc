import type { ChalkInstance } from 'chalk';
import { FLAG_FIELDS } from '../api/schemas.js';
import type { IO } from '../context.js';
import { createColor, type Env } from './color.js';
import { displayValue, formatDuration, formatWindows, yesNo } from './display.js';
import { oneLine, sanitize } from './sanitize.js';
import { drawTable, type DrawCell } from './table.js';
import { displayWidth, wrap } from './text.js';
import { statusStyle, visitStatus } from './visit-columns.js';
import { genericCell } from './visit-cells.js';

/**
 * `visits get` on a terminal: the record's fields grouped under headings, values as a person reads them,
 * every server string sanitized. Fields the groups do not name (unknown ones included) end up under
 * "Other"; empty values are left out (the JSON output shows everything as sent).
 */

export interface DetailOptions {
  io: IO;
  /** False after `--no-color`. */
  color: boolean;
  env: Env;
}

type Row = [label: string, value: string, style?: (t: string) => string];

const DEFAULT_WIDTH = 80;
const INDENT = '  ';
const FLAG_SET = new Set<string>(FLAG_FIELDS);

/** Print the detail view of one visit to stdout. */
export function renderVisitDetail(record: Record<string, unknown>, opts: DetailOptions): void {
  const chalk = createColor({ env: opts.env, isTTY: opts.io.stdoutIsTTY, color: opts.color });
  opts.io.stdout.write(formatVisitDetail(record, { width: opts.io.columns, chalk }));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Size of a signature image: decoded base64 (data: URLs too), else the text's bytes. */
function blobSize(value: unknown): number {
  if (typeof value !== 'string') return Buffer.byteLength(JSON.stringify(value) ?? '');
  const body = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value;
  return /^[A-Za-z0-9+/=\s]*$/.test(body) ? Buffer.from(body, 'base64').length : Buffer.byteLength(value);
}

export function formatVisitDetail(record: Record<string, unknown>, opts: { width: number; chalk: ChalkInstance }): string {
  const { chalk } = opts;
  const width = opts.width > 0 ? opts.width : DEFAULT_WIDTH;
  const used = new Set<string>();
  const field = (key: string, label = key): Row[] => {
    used.add(key);
    const v = record[key];
    return isEmpty(v) ? [] : [[label, displayValue(key, v)]];
  };
  const custom = (keys: readonly string[], label: string, value: () => string | undefined): Row[] => {
    for (const k of keys) used.add(k);
    if (keys.every((k) => isEmpty(record[k]))) return [];
    const v = value();
    return v === undefined || v === '' ? [] : [[label, v]];
  };

  const driver = custom(['name', 'driverId'], 'driver', () => {
    const name = isEmpty(record.name) ? '' : displayValue('name', record.name);
    const id = isEmpty(record.driverId) ? '' : displayValue('driverId', record.driverId);
    return name && id ? `${name} (${id})` : name || id;
  });
  const visit: Row[] = [
    ...field('_id'),
    ...field('id'),
    ...field('docType'),
    ...field('docNo'),
    ...field('date'),
    ...field('serviceOrder'),
    ...field('priority'),
    ...driver,
    ...field('territory'),
  ];
  const site: Row[] = [
    ...['customer', 'site', 'siteId', 'address', 'postCode', 'city', 'country'].flatMap((k) => field(k)),
    ...custom(['lat', 'lng'], 'lat/lng', () => `${displayValue('lat', record.lat)}, ${displayValue('lng', record.lng)}`),
  ];
  const contact: Row[] = ['contactPerson', 'contactPhone', 'signeeName', 'signeeEmail', 'signeeRating'].flatMap((k) => field(k));
  const status = visitStatus(record);
  const statusRows: Row[] = [
    ['status', status, statusStyle(chalk, status)],
    ...['closed', 'skipped', 'inProgress', 'confirmClose', 'closeDate', 'skippedReasonId'].flatMap((k) => field(k)),
  ];
  const schedule: Row[] = [
    ...custom(['time_windows'], 'time_windows', () => formatWindows(record.time_windows) ?? displayValue('time_windows', record.time_windows)),
    ...custom(['duration'], 'duration', () => formatDuration(record.duration) ?? displayValue('duration', record.duration)),
    ...field('required_skills'),
    ...field('allowed_vehicles'),
    ...field('subContractorIds'),
  ];

  const lines = linesTable(record.lines, width, chalk);
  if (lines !== undefined) used.add('lines');
  used.add('obs');
  const notes = typeof record.obs === 'string' ? notesText(record.obs, width) : isEmpty(record.obs) ? '' : `${INDENT}${displayValue('obs', record.obs)}\n`;

  const other: Row[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (used.has(key) || isEmpty(value)) continue;
    const shown = key === 'signature' ? `(${blobSize(value)} bytes)` : FLAG_SET.has(key) ? (yesNo(value) ?? displayValue(key, value)) : displayValue(key, value);
    other.push([oneLine(key), shown]);
  }

  const sections: string[] = [];
  const add = (heading: string, body: string) => {
    if (body !== '') sections.push(`${chalk.bold(heading)}\n${body}`);
  };
  add('Visit', rowsText(visit, width));
  add('Customer & site', rowsText(site, width));
  add('Contact', rowsText(contact, width));
  add('Status', rowsText(statusRows, width));
  add('Schedule', rowsText(schedule, width));
  add('Lines', lines ?? '');
  add('Notes', notes);
  add('Other', rowsText(other, width));
  return sections.join('\n');
}

/** `label  value` lines, labels padded within the section, long values wrapped under themselves. */
function rowsText(rows: readonly Row[], width: number): string {
  if (rows.length === 0) return '';
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label)));
  const valueWidth = Math.max(20, width - INDENT.length - labelWidth - 2);
  let out = '';
  for (const [label, value, style] of rows) {
    const wrapped = wrap(value, valueWidth);
    wrapped.forEach((line, i) => {
      const head = i === 0 ? label + ' '.repeat(labelWidth - displayWidth(label)) : ' '.repeat(labelWidth);
      out += `${INDENT}${head}  ${style && line !== '' ? style(line) : line}`.replace(/ +$/, '') + '\n';
    });
  }
  return out;
}

/** obs, its own line breaks kept (CRLF included), wrapped to the terminal. */
function notesText(obs: string, width: number): string {
  const text = sanitize(obs, { newlines: true }).replace(/^\s*\n|\s+$/g, '');
  if (text.trim() === '') return '';
  return wrap(text, Math.max(20, width - INDENT.length))
    .map((line) => (line === '' ? '' : INDENT + line))
    .join('\n')
    .concat('\n');
}

const LINE_COLUMNS = [
  ['actionItem', 'ACTION'],
  ['description', 'DESCRIPTION'],
  ['brand', 'BRAND'],
  ['model', 'MODEL'],
  ['serialNr', 'SERIAL NR'],
  ['qty', 'QTY'],
  ['jobType', 'JOB TYPE'],
] as const;

/** The visit's lines as a small table; columns no line fills are left out. Undefined when not lines. */
function linesTable(value: unknown, width: number, chalk: ChalkInstance): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const lines = value as unknown[];
  if (!lines.every((l) => l !== null && typeof l === 'object' && !Array.isArray(l))) return undefined;
  if (lines.length === 0) return '';
  const records = lines as Record<string, unknown>[];
  const cols = LINE_COLUMNS.filter(([key], i) => i < 2 || records.some((r) => !isEmpty(r[key])));
  const rows = records.map((r): DrawCell[] =>
    cols.map(([key]) => ({ text: key === 'actionItem' ? (yesNo(r[key]) ?? oneLine(genericCell(r[key]))) : displayValue(key, r[key]) })),
  );
  return drawTable(
    cols.map(([, header]) => header),
    rows,
    { width, shrink: cols.map(([key]) => key !== 'actionItem' && key !== 'qty'), chalk, indent: INDENT.length },
  );
}
