import { z } from 'zod';

/**
 * Loose scalars of the LetsJobIt API (api-notes.md rulings 3 and 4): flags arrive as booleans, numbers
 * or strings in several spellings, numbers arrive as strings. Input is coerced here, once, for both the
 * client (validating before sending) and the sandbox (validating what it receives).
 */

const FLAG_WORDS = new Map<string, 0 | 1>([
  ['1', 1],
  ['0', 0],
  ['true', 1],
  ['false', 0],
  ['yes', 1],
  ['no', 0],
]);

/** 0/1 for every accepted spelling of a flag, or undefined when the value is not a flag. */
export function parseFlag(value: unknown): 0 | 1 | undefined {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value === 'string') return FLAG_WORDS.get(value.trim().toLowerCase());
  return undefined;
}

const FLAG_MESSAGE = 'must be a flag: 0, 1, true, false, yes or no';

/** A visit flag, sent as the number 0 or 1 (ruling 3). */
export const flag = z.unknown().transform((value, ctx) => {
  const parsed = parseFlag(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: value === undefined ? 'is required' : `${FLAG_MESSAGE} (got ${describe(value)})` });
    return z.NEVER;
  }
  return parsed;
});

/** A line-item flag; the reference types these as booleans. */
export const boolFlag = flag.transform((v) => v === 1);

/** A number that may arrive as a numeric string ("57.1", " 3 "). Empty strings are not numbers. */
export function looseNumber(opts: { int?: boolean; min?: number; max?: number } = {}) {
  return z.unknown().transform((value, ctx) => {
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && value.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()))
      n = Number(value.trim());
    else {
      const what = opts.int ? 'a whole number' : 'a number';
      ctx.addIssue({ code: 'custom', message: value === undefined ? 'is required' : `must be ${what} (got ${describe(value)})` });
      return z.NEVER;
    }
    if (!Number.isFinite(n) || (opts.int === true && !Number.isInteger(n))) {
      ctx.addIssue({ code: 'custom', message: `must be ${opts.int ? 'a whole number' : 'a number'} (got ${describe(value)})` });
      return z.NEVER;
    }
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      const range =
        opts.min !== undefined && opts.max !== undefined
          ? `between ${opts.min} and ${opts.max}`
          : opts.min !== undefined
            ? `at least ${opts.min}`
            : `at most ${String(opts.max)}`;
      ctx.addIssue({ code: 'custom', message: `must be ${range} (got ${n})` });
      return z.NEVER;
    }
    return n;
  });
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (2021-02-29 is false). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export const calendarDate = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be text (got ${describe(issue.input)})`) }).refine(isCalendarDate, {
  error: (issue) => `must be a real calendar day as YYYY-MM-DD (got ${describe(issue.input)})`,
});

/** A required text field: a string with something in it. */
export const requiredText = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be text (got ${describe(issue.input)})`) })
  .refine((s) => s.trim() !== '', { error: 'must not be empty' });

export const optionalText = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be text (got ${describe(issue.input)})`) });

/** Short, quoted description of a bad value for error messages (never more than 40 characters). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (Array.isArray(value)) text = 'a list';
  else if (typeof value === 'object') text = 'an object';
  else text = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : typeof value;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
