import { readFile } from 'node:fs/promises';
import { InvalidInputError, UsageError } from '../../errors.js';

/**
 * `--field key=value` (typed, like gh's -F: true, false, null and plain numbers become JSON values) and
 * `--raw-field key=value` (always a string). `@file` reads the value from a file, `@-` from stdin.
 * `key[]=v` appends to a list, for body fields such as required_skills.
 */

export interface FieldSpec {
  key: string;
  /** The text after `=` (or the file's content), for the query string. */
  text: string;
  /** The JSON value, for a body. */
  value: unknown;
  list: boolean;
}

export interface Sources {
  readStdin(): Promise<string>;
}

// Only numbers that print back the same: "007", "1e3" or 20 digits stay strings, as an ERP reference would want.
const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export function typedValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (PLAIN_NUMBER.test(text) && String(Number(text)) === text) return Number(text);
  return text;
}

async function readValue(raw: string, sources: Sources): Promise<string> {
  if (!raw.startsWith('@')) return raw;
  const file = raw.slice(1);
  if (file === '-') return sources.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function parseFieldSpecs(typed: readonly string[], raw: readonly string[], sources: Sources): Promise<FieldSpec[]> {
  const specs: FieldSpec[] = [];
  for (const [flag, list, isTyped] of [['--field', typed, true], ['--raw-field', raw, false]] as const) {
    for (const arg of list) {
      const eq = arg.indexOf('=');
      const rawKey = eq === -1 ? '' : arg.slice(0, eq);
      if (eq <= 0 || rawKey === '[]') throw new UsageError(`${flag} "${arg}": expected key=value`, `For example: ${flag} date=2020-03-31`);
      const text = await readValue(arg.slice(eq + 1), sources);
      const isList = rawKey.endsWith('[]');
      const key = isList ? rawKey.slice(0, -2) : rawKey;
      const fromFile = arg.slice(eq + 1).startsWith('@');
      specs.push({ key, text, value: isTyped && !fromFile ? typedValue(text) : text, list: isList });
    }
  }
  return specs;
}

export function toQuery(specs: readonly FieldSpec[]): Record<string, string> {
  const query: Record<string, string> = {};
  for (const s of specs) {
    if (s.list) throw new UsageError(`${s.key}[]: lists only go in a JSON body, not in the query string of this request`);
    query[s.key] = s.text;
  }
  return query;
}

export function toBody(specs: readonly FieldSpec[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const s of specs) {
    if (!s.list) {
      body[s.key] = s.value;
      continue;
    }
    const current = body[s.key];
    body[s.key] = Array.isArray(current) ? [...(current as unknown[]), s.value] : [s.value];
  }
  return body;
}
