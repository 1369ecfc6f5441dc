import type { IO } from '../context.js';
import type { Env } from './color.js';
import { createCsvRenderer } from './format-csv.js';
import { createJsonRenderer, createNdjsonRenderer } from './format-json.js';
import { createTableRenderer } from './format-table.js';

/**
 * The one writer of data to stdout. A renderer takes records one at a time, as the paginator yields them;
 * `write` honours backpressure (await it), `end` finishes the document (closing `]`, the buffered table,
 * a header for an empty CSV). ndjson, csv, json and piped tables stream with flat memory; the terminal
 * table and generic records without `--fields` in csv/piped table buffer, since their columns depend on
 * every row.
 */

export { OUTPUT_FORMATS, type OutputFormat } from './formats.js';
import type { OutputFormat } from './formats.js';

export interface RendererOptions {
  format: OutputFormat;
  io: IO;
  /** False after `--no-color`; NO_COLOR / FORCE_COLOR in `env` and the TTY decide the rest (color.ts). */
  color: boolean;
  env: Env;
  /** `--fields`, already parsed (fields.ts); dotted paths. */
  fields?: readonly string[];
  /** False after `--no-header` (csv and table). */
  header: boolean;
  /** Prefix spreadsheet formulas in csv cells with `'` (CWE-1236). */
  escapeFormulas: boolean;
  /** Visits get visit columns and the visit cell encoding; records are generic objects. */
  kind: 'visits' | 'records';
}

export interface Renderer {
  write(record: Record<string, unknown>): Promise<void>;
  end(): Promise<void>;
}

export function createRenderer(opts: RendererOptions): Renderer {
  const inner = pick(opts);
  let ended = false;
  return {
    async write(record) {
      if (ended) throw new Error('renderer: write after end');
      await inner.write(record);
    },
    async end() {
      if (ended) return;
      ended = true;
      await inner.end();
    },
  };
}

function pick(opts: RendererOptions): Renderer {
  switch (opts.format) {
    case 'table':
      return createTableRenderer(opts);
    case 'json':
      return createJsonRenderer(opts);
    case 'ndjson':
      return createNdjsonRenderer(opts);
    case 'csv':
      return createCsvRenderer(opts);
  }
}

