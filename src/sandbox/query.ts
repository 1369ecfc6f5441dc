import { describe, isCalendarDate, parseFlag } from '../api/scalars.js';
import { STATUS_FLAGS, type VisitQuery } from './store.js';

export type ParsedList = { ok: true; query: VisitQuery; offset: number } | { ok: false; error: string };

const WHOLE = /^\d+$/;

/**
 * The list filters of GET /visits. Bad values are refused with the parameter's name rather than ignored:
 * a filter silently dropped would return the whole list and look like a match. Unknown parameters are
 * ignored (API_KEY travels the same way).
 */
export function parseListQuery(params: URLSearchParams): ParsedList {
  const query: VisitQuery = {};
  let offset = 0;
  const fail = (name: string, why: string, value: string) => ({ ok: false as const, error: `invalid ${name}: ${why} (got ${describe(value)})` });
  for (const [name, value] of params) {
    const v = value.trim();
    switch (name) {
      case 'pagination':
        if (!WHOLE.test(v) || !Number.isSafeInteger(Number(v))) return fail(name, 'expected the number of records to skip: 0, 100, 200, ...', value);
        offset = Number(v);
        break;
      case '_id':
      case 'driverId':
      case 'docNo':
        if (v === '') return fail(name, 'must not be empty', value);
        if (name === 'docNo') query.docNo = v.toLowerCase();
        else query[name] = v;
        break;
      case 'id':
        if (!WHOLE.test(v) || !Number.isSafeInteger(Number(v))) return fail(name, 'expected an ERP id (a whole number)', value);
        query.id = Number(v);
        break;
      case 'date':
        if (!isCalendarDate(v)) return fail(name, 'expected a real calendar day as YYYY-MM-DD', value);
        query.date = v;
        break;
      case 'priority': {
        const n = Number(v);
        if (!WHOLE.test(v) || n < 1 || n > 10) return fail(name, 'expected a whole number from 1 to 10', value);
        query.priority = n;
        break;
      }
      default:
        if ((STATUS_FLAGS as readonly string[]).includes(name)) {
          const flag = parseFlag(v);
          if (flag === undefined) return fail(name, 'expected 0 or 1 (or true/false)', value);
          query.flags = { ...query.flags, [name]: flag };
        }
    }
  }
  return { ok: true, query, offset };
}
