import { parseFlag } from '../api/scalars.js';
import { readDataFile, writeDataFile } from './persist.js';

export type VisitRecord = Record<string, unknown>;

export type StatusFlag = 'closed' | 'confirmClose' | 'inProgress' | 'skipped';
export const STATUS_FLAGS: readonly StatusFlag[] = ['closed', 'confirmClose', 'inProgress', 'skipped'];

const erpKey = (rec: VisitRecord): number | undefined => {
  const n = typeof rec.id === 'number' ? rec.id : typeof rec.id === 'string' && rec.id.trim() !== '' ? Number(rec.id) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
};
const textKey = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

const FLAG_BITS = { closed: 1, confirmClose: 2, inProgress: 4, skipped: 8 } as const;

/**
 * A stored visit. `seq` is its insertion order, which every index keeps so that pages stay stable. The
 * filterable values are copied out of the record into fixed fields: a scan over a million entries then
 * reads one object shape instead of a million dictionaries, which keeps full scans in tens of ms.
 */
class Entry {
  erp: number | undefined = undefined;
  date: string | undefined = undefined;
  driverId: string | undefined = undefined;
  docNoLower = '';
  /** FLAG_BITS of the status flags that are set. */
  flags = 0;
  priority = NaN;

  constructor(
    readonly seq: number,
    readonly company: string,
    public rec: VisitRecord,
  ) {
    this.refresh();
  }

  refresh(): void {
    const r = this.rec;
    this.erp = erpKey(r);
    this.date = textKey(r.date);
    this.driverId = textKey(r.driverId);
    this.docNoLower = (textKey(r.docNo) ?? '').toLowerCase();
    let flags = 0;
    // A visit without a flag has never been closed/skipped/...: it counts as 0.
    for (const name of STATUS_FLAGS) if (parseFlag(r[name]) === 1) flags |= FLAG_BITS[name];
    this.flags = flags;
    this.priority = typeof r.priority === 'number' ? r.priority : typeof r.priority === 'string' && r.priority.trim() !== '' ? Number(r.priority) : NaN;
  }
}

/**
 * Indexes of one company: the ordered list, the ERP-id upsert key, and lists per date and per driver.
 * The columns run parallel to `entries` for filters no index serves: a scan of a packed array of small
 * integers over a million visits takes about a millisecond, of the entries themselves some fifty.
 */
interface Company {
  entries: Entry[];
  byErp: Map<number, Entry>;
  byDate: Map<string, Entry[]>;
  byDriver: Map<string, Entry[]>;
  flagsCol: number[];
  /** 0 when the visit has no usable priority (valid ones are 1-10). */
  priorityCol: number[];
  docNoCol: string[];
}

function setColumns(c: Company, i: number, e: Entry): void {
  c.flagsCol[i] = e.flags;
  c.priorityCol[i] = Number.isInteger(e.priority) ? e.priority : 0;
  c.docNoCol[i] = e.docNoLower;
}

/** Parsed list filters; every field given must match. */
export interface VisitQuery {
  _id?: string;
  id?: number;
  date?: string;
  driverId?: string;
  /** Lowercase; matches when the record's docNo contains it. */
  docNo?: string;
  flags?: Partial<Record<StatusFlag, 0 | 1>>;
  priority?: number;
}

export interface StoreOptions {
  /** NDJSON file to load on open and to rewrite (debounced) after changes. */
  file?: string;
  /** Longest a change waits before being written: writes are coalesced to at most one per this period. */
  flushDelayMs?: number;
  /** Background write failures (a debounced flush has no caller to throw to). */
  onError?: (err: unknown) => void;
}

/** Index of `seq` in a list sorted by seq, or where it would be inserted. */
function bisect(list: Entry[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.seq ?? Infinity) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addTo(index: Map<string, Entry[]>, key: string | undefined, entry: Entry): void {
  if (key === undefined) return;
  const list = index.get(key);
  if (!list) index.set(key, [entry]);
  else if ((list[list.length - 1]?.seq ?? -1) < entry.seq) list.push(entry);
  else list.splice(bisect(list, entry.seq), 0, entry);
}

function removeFrom(index: Map<string, Entry[]>, key: string | undefined, entry: Entry): void {
  if (key === undefined) return;
  const list = index.get(key);
  if (!list) return;
  const i = bisect(list, entry.seq);
  if (list[i] === entry) list.splice(i, 1);
  if (list.length === 0) index.delete(key);
}

/**
 * Visits of every company, in memory, with the indexes a filtered page needs to answer in milliseconds over
 * a million records. Records are replaced, never mutated, so a snapshot being written stays consistent.
 */
export class VisitStore {
  private readonly companies = new Map<string, Company>();
  /** `_id` is unique across companies, as on the real service. */
  private readonly byId = new Map<string, Entry>();
  private nextSeq = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  /** How long the last write took: a big file is not rewritten more often than it takes to write it. */
  private lastWriteMs = 0;
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly options: StoreOptions) {}

  /** Opens a store, loading `options.file` when it exists. */
  static async open(options: StoreOptions = {}): Promise<VisitStore> {
    const store = new VisitStore(options);
    if (options.file) {
      await readDataFile(options.file, (rec) => {
        if (typeof rec._id === 'string' && typeof rec.companyId === 'string' && !store.byId.has(rec._id)) store.add(rec.companyId, rec);
      });
    }
    return store;
  }

  get file(): string | undefined {
    return this.options.file;
  }

  hasId(_id: string): boolean {
    return this.byId.has(_id);
  }

  count(company: string): number {
    return this.companies.get(company)?.entries.length ?? 0;
  }

  get(company: string, _id: string): VisitRecord | undefined {
    const entry = this.byId.get(_id);
    return entry?.company === company ? entry.rec : undefined;
  }

  getByErp(company: string, id: number): VisitRecord | undefined {
    return this.companies.get(company)?.byErp.get(id)?.rec;
  }

  /** Every record of a company in insertion order (the objects themselves; do not mutate them). */
  records(company: string): VisitRecord[] {
    return (this.companies.get(company)?.entries ?? []).map((e) => e.rec);
  }

  insert(company: string, rec: VisitRecord): void {
    if (typeof rec._id !== 'string' || this.byId.has(rec._id)) throw new Error(`cannot insert visit: _id ${String(rec._id)} is missing or taken`);
    this.add(company, rec);
    this.changed();
  }

  /** Replaces the record with `_id`, keeping its place in the order; false when the company has no such visit. */
  replace(company: string, _id: string, rec: VisitRecord): boolean {
    const entry = this.byId.get(_id);
    const c = this.companies.get(company);
    if (!entry || !c || entry.company !== company) return false;
    const oldErp = entry.erp;
    const oldDate = entry.date;
    const oldDriver = entry.driverId;
    entry.rec = { ...rec, _id };
    entry.refresh();
    if (oldErp !== entry.erp) {
      if (oldErp !== undefined && c.byErp.get(oldErp) === entry) c.byErp.delete(oldErp);
      if (entry.erp !== undefined) c.byErp.set(entry.erp, entry);
    }
    if (oldDate !== entry.date) {
      removeFrom(c.byDate, oldDate, entry);
      addTo(c.byDate, entry.date, entry);
    }
    if (oldDriver !== entry.driverId) {
      removeFrom(c.byDriver, oldDriver, entry);
      addTo(c.byDriver, entry.driverId, entry);
    }
    const i = bisect(c.entries, entry.seq);
    if (c.entries[i] === entry) setColumns(c, i, entry);
    this.changed();
    return true;
  }

  delete(company: string, _id: string): boolean {
    const entry = this.byId.get(_id);
    const c = this.companies.get(company);
    if (!entry || !c || entry.company !== company) return false;
    this.byId.delete(_id);
    const i = bisect(c.entries, entry.seq);
    if (c.entries[i] === entry) {
      c.entries.splice(i, 1);
      c.flagsCol.splice(i, 1);
      c.priorityCol.splice(i, 1);
      c.docNoCol.splice(i, 1);
    }
    if (entry.erp !== undefined && c.byErp.get(entry.erp) === entry) c.byErp.delete(entry.erp);
    removeFrom(c.byDate, entry.date, entry);
    removeFrom(c.byDriver, entry.driverId, entry);
    this.changed();
    return true;
  }

  /** Removes every visit of a company (or of all companies). */
  clear(company?: string): void {
    for (const [name, c] of this.companies) {
      if (company !== undefined && name !== company) continue;
      for (const e of c.entries) this.byId.delete(e.rec._id as string);
      this.companies.delete(name);
    }
    this.changed();
  }

  /** One page of a company's visits matching `q`, plus how many match in all. */
  query(company: string, q: VisitQuery, offset: number, limit: number): { total: number; page: VisitRecord[] } {
    const c = this.companies.get(company);
    if (!c) return { total: 0, page: [] };
    const candidates = this.candidates(c, company, q);
    let mask = 0;
    let want = 0;
    for (const name of STATUS_FLAGS) {
      const v = q.flags?.[name];
      if (v === undefined) continue;
      mask |= FLAG_BITS[name];
      if (v === 1) want |= FLAG_BITS[name];
    }
    const { date, driverId, id, docNo, priority } = q;
    const scan = q._id !== undefined || id !== undefined || docNo !== undefined || priority !== undefined || mask !== 0 || (date !== undefined && driverId !== undefined);
    if (!scan) return { total: candidates.length, page: candidates.slice(offset, offset + limit).map((e) => e.rec) };

    const page: VisitRecord[] = [];
    let total = 0;
    if (candidates === c.entries) {
      // No index applied, so only flags, priority and docNo are being filtered: read the columns.
      const { entries, flagsCol, priorityCol, docNoCol } = c;
      for (let i = 0; i < entries.length; i++) {
        if (((flagsCol[i] ?? 0) & mask) !== want) continue;
        if (priority !== undefined && priorityCol[i] !== priority) continue;
        if (docNo !== undefined && !(docNoCol[i] ?? '').includes(docNo)) continue;
        if (total >= offset && page.length < limit) page.push((entries[i] as Entry).rec);
        total += 1;
      }
      return { total, page };
    }
    for (const e of candidates) {
      if ((e.flags & mask) !== want) continue;
      if (date !== undefined && e.date !== date) continue;
      if (driverId !== undefined && e.driverId !== driverId) continue;
      if (id !== undefined && e.erp !== id) continue;
      if (priority !== undefined && e.priority !== priority) continue;
      if (docNo !== undefined && !e.docNoLower.includes(docNo)) continue;
      if (total >= offset && page.length < limit) page.push(e.rec);
      total += 1;
    }
    return { total, page };
  }

  /** Writes pending changes now (no-op without a file or changes). */
  async flush(): Promise<void> {
    // A failed earlier write is not this caller's failure: its changes are still dirty and go out now.
    while (this.writing) await this.writing.catch(() => undefined);
    if (!this.dirty || !this.options.file) return;
    this.dirty = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const file = this.options.file;
    const snapshot: VisitRecord[] = [];
    for (const c of this.companies.values()) for (const e of c.entries) snapshot.push(e.rec);
    const started = performance.now();
    this.writing = writeDataFile(file, snapshot)
      .then(() => {
        this.lastWriteMs = performance.now() - started;
      })
      .catch((err: unknown) => {
        this.dirty = true;
        throw err;
      })
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }

  /** Flushes and stops persisting; the in-memory data stays readable. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }

  private candidates(c: Company, company: string, q: VisitQuery): Entry[] {
    if (q._id !== undefined) {
      const e = this.byId.get(q._id);
      return e?.company === company ? [e] : [];
    }
    if (q.id !== undefined) {
      const e = c.byErp.get(q.id);
      return e ? [e] : [];
    }
    const lists: Entry[][] = [];
    if (q.date !== undefined) lists.push(c.byDate.get(q.date) ?? []);
    if (q.driverId !== undefined) lists.push(c.byDriver.get(q.driverId) ?? []);
    if (lists.length === 0) return c.entries;
    return lists.reduce((a, b) => (b.length < a.length ? b : a));
  }

  private add(company: string, rec: VisitRecord): void {
    let c = this.companies.get(company);
    if (!c) {
      c = { entries: [], byErp: new Map(), byDate: new Map(), byDriver: new Map(), flagsCol: [], priorityCol: [], docNoCol: [] };
      this.companies.set(company, c);
    }
    const entry = new Entry(this.nextSeq++, company, rec);
    setColumns(c, c.entries.length, entry);
    c.entries.push(entry);
    this.byId.set(rec._id as string, entry);
    if (entry.erp !== undefined) c.byErp.set(entry.erp, entry);
    addTo(c.byDate, entry.date, entry);
    addTo(c.byDriver, entry.driverId, entry);
  }

  private changed(): void {
    if (!this.options.file || this.closed) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) => this.options.onError?.(err));
    }, Math.max(this.options.flushDelayMs ?? 500, this.lastWriteMs));
  }
}
