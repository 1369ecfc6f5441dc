import type { VisitInput } from '../api/schemas.js';
import type { HashTap, InputFile } from './input.js';
import type { Pass1Result } from './pass1.js';
import { openRows, type ReadSettings } from './read-rows.js';
import type { SourceRow } from './types.js';
import { problemsText, validateRow, type RowContext } from './validate.js';

/**
 * Pass 2 reads the file again (nothing from pass 1 is kept but the verdicts): each row validated again to
 * rebuild the visit to send, with pass 1's decisions on duplicates applied.
 */

export interface WalkedRow {
  row: SourceRow;
  state: 'valid' | 'invalid' | 'superseded';
  visit?: VisitInput;
  idText: string;
  /** Why the row is invalid or superseded. */
  message: string;
}

/** With a tap, the bytes read are hashed again, to notice a file that changed since pass 1. */
export async function* walkRows(input: InputFile, settings: ReadSettings, rc: Omit<RowContext, 'plan'>, pass1: Pass1Result, tap?: HashTap): AsyncGenerator<WalkedRow> {
  const source = await openRows(input, settings, tap);
  const context: RowContext = { ...rc, ...(source.plan ? { plan: source.plan } : {}) };
  for await (const row of source.rows) {
    const result = validateRow(row, context);
    const winner = pass1.superseded.get(row.line);
    if (winner !== undefined) {
      yield { row, state: 'superseded', idText: result.idText, message: `the same ERP id is on line ${winner}, which wins (--last-wins)` };
      continue;
    }
    const extra = pass1.extraMessages.get(row.line);
    if (!result.visit || extra !== undefined || pass1.invalid.has(row.line)) {
      const message = [problemsText(result.problems), extra].filter((m) => m).join('; ');
      yield { row, state: 'invalid', idText: result.idText, message };
      continue;
    }
    yield { row, state: 'valid', visit: result.visit, idText: result.idText, message: '' };
  }
}
