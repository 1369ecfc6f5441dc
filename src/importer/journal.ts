import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The import journal (reliability.md §8.5): `<data>/imports/<sha256(path + content hash)>.jsonl`. Line 1 is
 * the fingerprint (file hash, size, and every option that changes which rows go in which batch); then one
 * line per batch the server acknowledged or that failed for good, appended and fsync'd before the batch
 * counts as done. `--resume` skips the acknowledged batches and sends the rest; a torn last line (a crash
 * mid-write) is ignored, which only means that batch is sent again (safe: add is an upsert).
 */

export const JOURNAL_VERSION = 1;

export interface Fingerprint {
  kind: 'fingerprint';
  v: number;
  file: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  /** Options that decide the batches; a resume with other values is refused. */
  options: Record<string, string | number | boolean | null>;
  created: string;
}

export type BatchStatus = 'ok' | 'partial' | 'unverified' | 'failed';

export interface BatchRecord {
  kind: 'batch';
  batch: number;
  /** Row indexes (0-based data rows) and the lines they start on. */
  first: number;
  last: number;
  firstLine: number;
  lastLine: number;
  count: number;
  /** ok: all stored; partial: the server refused some rows; unverified: counts do not add up; failed: no answer. */
  status: BatchStatus;
  inserted: number;
  updated: number;
  failed: { row: number; line: number; message: string }[];
  at: string;
}

/** `failed` batches got no usable answer and are sent again on resume; the others were acknowledged. */
export function isAcknowledged(status: BatchStatus): boolean {
  return status !== 'failed';
}

export function journalPath(dataDir: string, absolutePath: string, contentSha256: string): string {
  const key = createHash('sha256').update(`${absolutePath}\n${contentSha256}`).digest('hex');
  return join(dataDir, 'imports', `${key}.jsonl`);
}

export interface JournalContents {
  fingerprint: Fingerprint;
  batches: Map<number, BatchRecord>;
}

export async function readJournal(path: string): Promise<JournalContents | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n');
  let fingerprint: Fingerprint | undefined;
  const batches = new Map<number, BatchRecord>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      continue; // a torn write: that batch is simply not acknowledged
    }
    const r = rec as { kind?: unknown };
    if (r.kind === 'fingerprint' && !fingerprint) fingerprint = rec as Fingerprint;
    else if (r.kind === 'batch') {
      const b = rec as BatchRecord;
      // A later line for the same batch (a resend after "failed") replaces the earlier one.
      batches.set(b.batch, b);
    }
  }
  return fingerprint ? { fingerprint, batches } : undefined;
}

/** Appends fsync'd lines, one at a time and in the order asked. */
export class Journal {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** A fresh journal (replacing any old one for this file), or the existing one to append to (resume). */
  static async open(path: string, fingerprint: Fingerprint | undefined): Promise<Journal> {
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const fh = await open(path, fingerprint ? 'w' : 'a', 0o600);
    const journal = new Journal(path, fh);
    if (fingerprint) await journal.append(fingerprint);
    return journal;
  }

  append(record: Fingerprint | BatchRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const next = this.chain.then(async () => {
      if (this.closed) return;
      await this.fh.appendFile(line, 'utf8');
      await this.fh.datasync();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }

  /** After a complete import there is nothing to resume. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }
}

/** Fingerprint options that differ between a journal and this run, as "name: old → new". */
export function optionDifferences(old: Fingerprint['options'], now: Fingerprint['options']): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
  const out: string[] = [];
  for (const k of keys) {
    if (JSON.stringify(old[k] ?? null) !== JSON.stringify(now[k] ?? null)) out.push(`${k}: ${JSON.stringify(old[k] ?? null)} → ${JSON.stringify(now[k] ?? null)}`);
  }
  return out;
}
