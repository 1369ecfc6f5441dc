import type { Readable } from 'node:stream';
import { FatalInputError, MAX_RECORD_BYTES } from './read-csv.js';
import type { SourceRow } from './types.js';

/**
 * JSON inputs, streamed: a JSON array is split into its top-level elements without parsing the whole
 * document (only one element is in memory at a time), and NDJSON is one value per line. Each element
 * carries the line it starts on; one that is not valid JSON becomes a row error, not a crash.
 */

function parseElement(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
}

const WS = new Set([' ', '\t', '\n', '\r', '\ufeff']);

export async function* readJsonArray(bytes: Readable, file: string): AsyncGenerator<SourceRow> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let state: 'before' | 'between' | 'element' | 'after' = 'before';
  /** Bracket depth inside the current element; 0 is the array's own level. */
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  let parts: string[] = [];
  let size = 0;
  let startLine = 0;
  let index = 0;
  const fail = (message: string, at = line): never => {
    throw new FatalInputError({ file, line: at, column: '', message });
  };

  const finish = (): SourceRow => {
    const text = parts.join('');
    parts = [];
    size = 0;
    const row: SourceRow = { index, line: startLine };
    index += 1;
    const parsed = parseElement(text);
    if (parsed.error !== undefined) {
      row.error = parsed.error;
      row.raw = text.trim();
    } else row.value = parsed.value;
    return row;
  };

  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          else if (c === '\n') line += 1;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth += 1;
        else if (c === '}' || c === ']') {
          if (depth > 0) depth -= 1;
          else {
            // The array's closing bracket right after a primitive element.
            parts.push(text.slice(from, i));
            yield finish();
            state = 'after';
          }
        } else if (c === ',' && depth === 0) {
          parts.push(text.slice(from, i));
          yield finish();
          state = 'between';
          expectElement = true;
        } else if (c === '\n') line += 1;
        continue;
      }
      if (c === '\n') line += 1;
      if (WS.has(c)) continue;
      if (state === 'before') {
        if (c === '[') state = 'between';
        else if (c === '{') fail('expected a JSON array of visits ([{...}, {...}]); for one visit per line use --input-format ndjson');
        else fail(`expected a JSON array of visits, found ${JSON.stringify(c)}`);
        continue;
      }
      if (state === 'after') fail(`unexpected ${JSON.stringify(c)} after the end of the array`);
      if (c === ']') {
        if (expectElement) fail('a comma before "]" (trailing commas are not JSON)');
        state = 'after';
        continue;
      }
      if (c === ',') fail('an empty element (two commas in a row, or a comma after "[")');
      // An element starts here: read this character again as part of it.
      state = 'element';
      expectElement = false;
      startLine = line;
      from = i;
      depth = 0;
      inString = false;
      escaped = false;
      i -= 1;
    }
    if (state === 'element') {
      const piece = text.slice(from);
      parts.push(piece);
      size += piece.length;
      if (size > MAX_RECORD_BYTES) fail(`the element starting here is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`, startLine);
    }
  }
  const end = state as string;
  if (end === 'before') fail('the file is empty (expected a JSON array of visits)');
  if (end !== 'after') fail('the JSON array is not closed (the file ends inside it)', end === 'element' ? startLine : line);
}

export async function* readNdjson(bytes: Readable, file: string): AsyncGenerator<SourceRow> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 0;
  let index = 0;
  function* handle(raw: string): Generator<SourceRow> {
    line += 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    const row: SourceRow = { index, line };
    index += 1;
    const parsed = parseElement(text);
    if (parsed.error !== undefined) {
      row.error = parsed.error;
      row.raw = text;
    } else row.value = parsed.value;
    yield row;
  }
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield* handle(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
    if (carry.length > MAX_RECORD_BYTES) throw new FatalInputError({ file, line: line + 1, column: '', message: `the line is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB` });
  }
  carry += decoder.decode();
  if (carry !== '') yield* handle(carry);
}
