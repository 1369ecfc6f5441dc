import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { csvRow, escapeFormula } from '../output/format-csv.js';
import { writeText } from '../output/sink.js';
import { CSV_EXPORT_COLUMNS, toCell } from '../output/visit-cells.js';
import { normaliseName, REJECTS_ERROR_COLUMN, resolveName, VISIT_FIELDS } from './headers.js';
import type { InputFormat, SourceRow } from './types.js';

/**
 * `--report`: one CSV line per input row (line, ERP id, outcome, message), in file order.
 * `--rejects`: the rows that were invalid or that the server refused, as they were read, with an `error`
 * column, ready to fix and import again (the importer ignores that column). Cells that a spreadsheet would
 * run as a formula (= + - @) get a leading `'`, which the importer removes again.
 */

export type Outcome =
  | 'inserted'
  | 'updated'
  | 'ok'
  | 'failed'
  | 'invalid'
  | 'skipped-resume'
  | 'skipped-duplicate'
  | 'not-sent'
  | 'would-insert'
  | 'would-update'
  | 'unchanged';

export interface RowOutcome {
  line: number;
  id: string;
  outcome: Outcome;
  message: string;
  /** The row itself when it goes to the rejects file. */
  reject?: SourceRow;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(CONTROL, '');
}

class TextFile {
  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string): Promise<TextFile> {
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return new TextFile(stream);
  }

  write(text: string): Promise<void> {
    return writeText(this.stream, text);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

export class ReportWriter {
  private constructor(private readonly file: TextFile) {}

  static async open(path: string): Promise<ReportWriter> {
    const file = await TextFile.open(path);
    await file.write(csvRow(['line', 'id', 'outcome', 'message']));
    return new ReportWriter(file);
  }

  write(o: RowOutcome): Promise<void> {
    return this.file.write(csvRow([String(o.line), escapeFormula(o.id), o.outcome, escapeFormula(oneLine(o.message))]));
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

type RejectsShape = 'csv' | 'ndjson' | 'json';

export function rejectsShape(path: string): RejectsShape {
  const ext = extname(path).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv';
}

export class RejectsWriter {
  private count = 0;
  /** CSV: where the error goes (an existing `error` column is reused). */
  private errorColumn = -1;
  private errorReplaces = false;
  private columns: readonly string[] = [];

  private constructor(
    private readonly file: TextFile,
    private readonly shape: RejectsShape,
    private readonly format: InputFormat,
  ) {}

  static async open(path: string, format: InputFormat, headers: readonly string[] | undefined): Promise<RejectsWriter> {
    const file = await TextFile.open(path);
    const w = new RejectsWriter(file, rejectsShape(path), format);
    if (w.shape === 'json') await file.write('[');
    if (w.shape === 'csv') {
      // CSV input keeps its own headers; JSON input gets the export columns.
      const cols = format === 'csv' && headers ? [...headers] : [...CSV_EXPORT_COLUMNS];
      w.errorColumn = cols.findIndex((h) => normaliseName(h) === REJECTS_ERROR_COLUMN);
      w.errorReplaces = w.errorColumn !== -1;
      if (w.errorColumn === -1) {
        w.errorColumn = cols.length;
        cols.push(REJECTS_ERROR_COLUMN);
      }
      w.columns = cols;
      await file.write(csvRow(cols.map(escapeFormula)));
    } else if (format === 'csv' && headers) w.columns = headers;
    return w;
  }

  private csvCells(row: SourceRow, message: string): string[] {
    let cells: string[];
    if (this.format === 'csv') cells = [...(row.cells ?? [])];
    else {
      const value = row.value;
      const byField = new Map<string, unknown>();
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) {
          const r = resolveName(k, VISIT_FIELDS, new Map());
          if (r.kind === 'field') byField.set(r.field, v);
        }
      }
      cells = CSV_EXPORT_COLUMNS.map((f) => toCell(f, byField.get(f)));
      if (row.raw !== undefined) cells[0] = row.raw;
    }
    const width = this.columns.length;
    if (this.errorReplaces) {
      while (cells.length < width) cells.push('');
      cells[this.errorColumn] = message;
    } else {
      // A ragged row keeps all its cells; the error follows them.
      while (cells.length < width - 1) cells.push('');
      cells.push(message);
    }
    return cells.map(escapeFormula);
  }

  private object(row: SourceRow, message: string): unknown {
    if (this.format === 'csv') {
      const obj: Record<string, string> = {};
      this.columns.forEach((h, i) => {
        obj[h] = row.cells?.[i] ?? '';
      });
      obj[REJECTS_ERROR_COLUMN] = message;
      return obj;
    }
    if (typeof row.value === 'object' && row.value !== null && !Array.isArray(row.value)) return { ...row.value, [REJECTS_ERROR_COLUMN]: message };
    return { [REJECTS_ERROR_COLUMN]: message, line: row.line, ...(row.raw !== undefined ? { text: row.raw } : { value: row.value }) };
  }

  async write(row: SourceRow, message: string): Promise<void> {
    const text = oneLine(message);
    this.count += 1;
    if (this.shape === 'csv') return this.file.write(csvRow(this.csvCells(row, text)));
    const json = JSON.stringify(this.object(row, text));
    if (this.shape === 'ndjson') return this.file.write(`${json}\n`);
    return this.file.write(`${this.count === 1 ? '\n' : ',\n'}${json}`);
  }

  get written(): number {
    return this.count;
  }

  async close(): Promise<void> {
    if (this.shape === 'json') await this.file.write(this.count > 0 ? '\n]\n' : ']\n');
    await this.file.close();
  }
}

/**
 * Writes outcomes in file order although batches finish in any order: each push is a list of outcomes or
 * a promise of one (a batch in flight), written when everything before it has been.
 */
export class OrderedOutcomes {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown;
  private waiters: (() => void)[] = [];
  /** The first rows the server refused, for stderr: a person must see which rows and why without --report. */
  readonly refused: RowOutcome[] = [];

  constructor(
    private readonly report: ReportWriter | undefined,
    private readonly rejects: RejectsWriter | undefined,
    private readonly keepRefused = 20,
  ) {}

  private noteRefused(list: readonly RowOutcome[]): void {
    for (const o of list) if (o.outcome === 'failed' && this.refused.length < this.keepRefused) this.refused.push({ line: o.line, id: o.id, outcome: o.outcome, message: o.message });
  }

  get active(): boolean {
    return this.report !== undefined || this.rejects !== undefined;
  }

  push(outcomes: RowOutcome[] | Promise<RowOutcome[]>, size: number): void {
    if (!this.active) {
      void Promise.resolve(outcomes).then((list) => this.noteRefused(list), () => undefined);
      return;
    }
    this.pending += size;
    this.chain = this.chain.then(async () => {
      try {
        const list = await outcomes;
        this.noteRefused(list);
        if (this.failure === undefined) {
          for (const o of list) {
            await this.report?.write(o);
            if (o.reject) await this.rejects?.write(o.reject, o.message);
          }
        }
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.pending -= size;
        const ready = this.waiters;
        this.waiters = [];
        for (const w of ready) w();
      }
    });
  }

  /** Waits while more than `limit` rows wait to be written (a slow batch ahead of many invalid rows). */
  async room(limit: number): Promise<void> {
    while (this.pending > limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async finish(): Promise<void> {
    await this.chain;
    await this.report?.close();
    await this.rejects?.close();
    if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error('cannot write the report or rejects file');
  }
}
