import { InvalidArgumentError } from 'commander';
import { isCalendarDate } from '../../api/scalars.js';

const RELATIVE: Record<string, number> = { yesterday: -1, today: 0, tomorrow: 1 };

/** YYYY-MM-DD in local time for `today`, `tomorrow`, `yesterday`; otherwise a checked calendar date. */
export function resolveDate(value: string, now: number): string {
  const word = value.trim().toLowerCase();
  const offset = RELATIVE[word];
  if (offset !== undefined) {
    const d = new Date(now);
    d.setDate(d.getDate() + offset);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  if (!isCalendarDate(value.trim())) throw new InvalidArgumentError(`expected YYYY-MM-DD, today, tomorrow or yesterday (got "${value}")`);
  return value.trim();
}
