import { projectFields } from './fields.js';
import type { Renderer, RendererOptions } from './renderer.js';
import { writeText } from './sink.js';

/**
 * `json`: one array, streamed: `[`, items joined by `,\n`, `]`. Pretty (2-space, identical to
 * `JSON.stringify(all, null, 2)`) on a terminal, one compact item per line when piped. `ndjson`: one
 * compact object per line. Records are printed as the server sent them (ruling 4), or projected to
 * `--fields`.
 */

/** C1 controls, line/paragraph separators and bidi overrides survive JSON.stringify; escape them too. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function toJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent) ?? 'null';
  return text.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function shape(opts: RendererOptions, record: Record<string, unknown>): Record<string, unknown> {
  return opts.fields ? projectFields(record, opts.fields) : record;
}

export function createJsonRenderer(opts: RendererOptions): Renderer {
  const out = opts.io.stdout;
  const pretty = opts.io.stdoutIsTTY;
  let count = 0;
  return {
    async write(record) {
      const item = pretty ? toJson(shape(opts, record), 2).replace(/^/gm, '  ') : toJson(shape(opts, record));
      const text = count === 0 ? `[\n${item}` : `,\n${item}`;
      count++;
      await writeText(out, text);
    },
    async end() {
      await writeText(out, count === 0 ? '[]\n' : '\n]\n');
    },
  };
}

export function createNdjsonRenderer(opts: RendererOptions): Renderer {
  const out = opts.io.stdout;
  return {
    async write(record) {
      await writeText(out, `${toJson(shape(opts, record))}\n`);
    },
    async end() {},
  };
}
