import { UsageError } from '../errors.js';

/**
 * `--fields a,b.c,lines.0.description`: dotted paths into a record; a numeric segment indexes an array.
 * Any name is allowed, including fields the reference does not list (api-notes.md ruling 10).
 */

/** Split and check a `--fields` value: trimmed, empties dropped, duplicates removed, order kept. */
export function parseFields(spec: string): string[] {
  const fields = [...new Set(spec.split(',').map((f) => f.trim()).filter((f) => f !== ''))];
  if (fields.length === 0) throw new UsageError('--fields needs at least one field name', 'Example: --fields _id,date,customer');
  for (const f of fields) {
    if (f.split('.').some((segment) => segment.trim() === '')) {
      throw new UsageError(`invalid field path "${f}": empty segment`, 'Separate nested names with single dots, e.g. lines.0.description');
    }
  }
  return fields;
}

function isIndex(segment: string): boolean {
  return /^(0|[1-9]\d*)$/.test(segment);
}

function child(container: unknown, segment: string): unknown {
  if (Array.isArray(container)) return isIndex(segment) ? (container as unknown[])[Number(segment)] : undefined;
  if (container !== null && typeof container === 'object' && Object.hasOwn(container, segment)) {
    return (container as Record<string, unknown>)[segment];
  }
  return undefined;
}

/** The value at a dotted path, or undefined when any step is missing. */
export function getPath(record: unknown, path: string): unknown {
  let value = record;
  for (const segment of path.split('.')) {
    value = child(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * A new record holding only the given paths, nested objects (and arrays, where the source has arrays)
 * rebuilt around them. Missing paths are left out. Values are shared with the source, never copied.
 */
export function projectFields(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rebuilt = new WeakSet<object>([out]);
  for (const path of fields) {
    const value = getPath(record, path);
    if (value === undefined) continue;
    const segments = path.split('.');
    let target: Record<string, unknown> | unknown[] = out;
    let source: unknown = record;
    let covered = false;
    for (const segment of segments.slice(0, -1)) {
      source = child(source, segment);
      const existing: unknown = (target as Record<string, unknown>)[segment];
      if (existing !== undefined && (typeof existing !== 'object' || existing === null || !rebuilt.has(existing))) {
        covered = true; // an earlier field already took the whole value
        break;
      }
      let next = existing as Record<string, unknown> | unknown[] | undefined;
      if (next === undefined) {
        next = Array.isArray(source) ? [] : {};
        rebuilt.add(next);
        (target as Record<string, unknown>)[segment] = next;
      }
      target = next;
    }
    if (!covered) (target as Record<string, unknown>)[segments[segments.length - 1] ?? path] = value;
  }
  return out;
}
