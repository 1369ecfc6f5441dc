import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { getPath, parseFields, projectFields } from '../../src/output/fields.js';
import { openVisit, referenceVisit } from './fixtures.js';

describe('parseFields', () => {
  it('splits, trims, drops empties and duplicates, keeps order', () => {
    expect(parseFields(' docNo, lines.0.description ,,geocoding,docNo')).toEqual(['docNo', 'lines.0.description', 'geocoding']);
  });

  it('allows any name, unknown ones included', () => {
    expect(parseFields('appClientVersion,whatever.deep')).toEqual(['appClientVersion', 'whatever.deep']);
  });

  it.each(['', ' , ', 'a..b', '.a', 'a.'])('refuses %j as a usage error', (spec) => {
    expect(() => parseFields(spec)).toThrow(UsageError);
  });
});

describe('getPath', () => {
  it('follows dotted paths, numeric segments indexing arrays', () => {
    expect(getPath(referenceVisit, 'time_windows.0.earliest')).toBe(30600);
    expect(getPath(openVisit, 'lines.1.description')).toBe('Descaler tabs');
    expect(getPath(referenceVisit, 'geocoding')).toBeNull();
  });

  it('gives undefined for anything missing, never inherited properties', () => {
    expect(getPath(referenceVisit, 'lines.0.description')).toBeUndefined();
    expect(getPath(openVisit, 'lines.first')).toBeUndefined();
    expect(getPath(openVisit, 'lines.9')).toBeUndefined();
    expect(getPath(openVisit, 'customer.length')).toBeUndefined();
    expect(getPath({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(getPath({ a: {} }, '__proto__')).toBeUndefined();
  });
});

describe('projectFields', () => {
  it('rebuilds nested objects and arrays around the chosen paths', () => {
    expect(projectFields(openVisit, ['docNo', 'lines.0.brand', 'lines.0.model', 'time_windows.1.latest'])).toEqual({
      docNo: 'H-017624',
      lines: [{ brand: 'Rational', model: 'iCombi Pro 6-1/1' }],
      time_windows: [undefined, { latest: 63030 }],
    });
  });

  it('keeps a whole value once it was asked for, whichever order the paths come in', () => {
    const whole = openVisit.lines;
    expect(projectFields(openVisit, ['lines', 'lines.0.brand'])).toEqual({ lines: whole });
    expect(projectFields(openVisit, ['lines.0.brand', 'lines'])).toEqual({ lines: whole });
  });

  it('leaves the source untouched', () => {
    const copy = structuredClone(openVisit);
    projectFields(openVisit, ['lines.0.brand', 'lines', 'lines.1.qty']);
    expect(openVisit).toEqual(copy);
  });
});
