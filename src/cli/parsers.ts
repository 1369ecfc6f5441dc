import { InvalidArgumentError } from 'commander';

/**
 * Option parsers for Commander. Each throws InvalidArgumentError, which Commander reports with the flag's
 * name and ljit turns into exit code 2.
 */

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "30s", "500ms", "2m", "1.5h"; a bare number is seconds. Returns milliseconds. */
export function parseDuration(value: string): number {
  const m = DURATION_RE.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected a duration such as 30s, 500ms or 2m (got "${value}")`);
  const unit = (m[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(m[1]) * UNIT_MS[unit]);
}

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number (got "${value}")`);
  return Number(value.trim());
}

export function parsePositiveInt(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1 (got "${value}")`);
  return n;
}

/** A probability for fault flags: 0.1, or 10%. */
export function parseProbability(value: string): number {
  const v = value.trim();
  const n = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
  if (v === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`expected a fraction between 0 and 1, or a percentage (got "${value}")`);
  return n;
}

export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}

/** "100/10s" (requests per window); "off" or "0" disables it. */
export function parseRateLimit(value: string): RateLimitSpec | null {
  const v = value.trim().toLowerCase();
  if (v === 'off' || v === 'none' || v === '0') return null;
  const m = /^(\d+)\s*\/\s*(.+)$/.exec(v);
  if (!m) throw new InvalidArgumentError(`expected requests per window such as 100/10s, or "off" (got "${value}")`);
  const limit = Number(m[1]);
  const windowMs = parseDuration(m[2] ?? '');
  if (limit < 1 || windowMs < 1) throw new InvalidArgumentError(`expected a limit and a window above zero (got "${value}")`);
  return { limit, windowMs };
}

/** A 0/1 flag value for filters such as --closed. */
export function parseZeroOne(value: string): 0 | 1 {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return 1;
  if (v === '0' || v === 'false' || v === 'no') return 0;
  throw new InvalidArgumentError(`expected 0 or 1 (got "${value}")`);
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
