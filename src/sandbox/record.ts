import { FLAG_FIELDS, SERVER_FIELDS } from '../api/schemas.js';
import type { VisitRecord } from './store.js';

/**
 * Between validated input and the stored record. Input arrives in the loose forms of ruling 3/4 and is
 * validated (and coerced) by the shared schemas; records are kept in the form the reference's example
 * shows: flags as booleans, priority and signeeRating as strings, id as an integer.
 */

const SERVER_FIELD_SET = new Set<string>(SERVER_FIELDS);
const FLAG_FIELD_SET = new Set<string>(FLAG_FIELDS);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops the fields only the server writes; a client sending them back (e.g. a record it read) is harmless. */
export function withoutServerFields(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!SERVER_FIELD_SET.has(k)) out[k] = v;
  return out;
}

/** Validated fields in server form. */
export function toServerForm(parsed: Record<string, unknown>): VisitRecord {
  const out: VisitRecord = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (FLAG_FIELD_SET.has(k) && (v === 0 || v === 1)) out[k] = v === 1;
    else if ((k === 'priority' || k === 'signeeRating') && typeof v === 'number') out[k] = String(v);
    else out[k] = v;
  }
  return out;
}

/** The reference: totalJobs counts the lines that are jobs (actionItem), not parts. */
export function countJobs(lines: unknown): number {
  return Array.isArray(lines) ? lines.filter((l) => isPlainObject(l) && l.actionItem === true).length : 0;
}

/** What the server fills in on insert when the client leaves it out, so every record has the full shape. */
const INSERT_DEFAULTS: VisitRecord = {
  confirmClose: false,
  inProgress: false,
  closed: false,
  skipped: false,
  geocoding: null,
  hasChangesToSync: false,
  signeeRating: '0',
  signature: '',
  appClientVersion: '',
  closeDate: '',
  skippedReasonId: '',
};

export function newRecord(_id: string, fields: VisitRecord, timestamp: string): VisitRecord {
  const rec: VisitRecord = { _id, ...fields };
  for (const [k, v] of Object.entries(INSERT_DEFAULTS)) if (!(k in rec)) rec[k] = v;
  return { ...rec, totalJobs: countJobs(rec.lines), createdAt: timestamp, createdUser: 'API', modifieddAt: timestamp, modifyUser: 'API' };
}

/** An update (POST upsert or PUT): the given fields replace the old ones; identity and creation stay. */
export function mergeRecord(existing: VisitRecord, fields: VisitRecord, timestamp: string): VisitRecord {
  const merged: VisitRecord = { ...existing, ...fields };
  return {
    ...merged,
    _id: existing._id,
    createdAt: existing.createdAt,
    createdUser: existing.createdUser,
    totalJobs: countJobs(merged.lines),
    modifieddAt: timestamp,
    modifyUser: 'API',
  };
}
