import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countDelimiters, sniffDelimiter } from '../../src/importer/dialect.js';
import { chooseEncoding, firstInvalidUtf8 } from '../../src/importer/encoding.js';
import { readCsv } from '../../src/importer/read-csv.js';
import { detectRecordDelimiter, type RecordDelimiter } from '../../src/importer/record-scanner.js';

/** A tiny deterministic generator, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['plain', 'São João', 'a "quoted" word', 'two\nlines', 'crlf\r\ninside', 'semi;colon', 'com,ma', 'pipe|x', '  padded  ', '', 'tab\there', '€ 5'];

function quoteCell(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A file whose record start lines are known, and the cells csv-parse should give (trimmed, unquoted). */
function build(seed: number, delimiter: string, nl: RecordDelimiter): { text: string; lines: number[]; rows: string[][] } {
  const r = rng(seed);
  let text = `a${delimiter}b${delimiter}c${nl}`;
  let line = 2;
  const lines: number[] = [];
  const rows: string[][] = [];
  const breaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;
  for (let k = 0; k < 60; k++) {
    const extra = r();
    if (extra < 0.15) {
      text += nl; // an empty line
      line += 1;
    } else if (extra < 0.25) {
      text += `   ${nl}`; // a blank line
      line += 1;
    }
    const cells = [0, 1, 2].map(() => WORDS[Math.floor(r() * WORDS.length)] ?? '');
    if (cells.every((c) => c.trim() === '')) cells[0] = 'x';
    const record = cells.map((c) => quoteCell(c, delimiter)).join(delimiter);
    lines.push(line);
    rows.push(cells);
    text += record + nl;
    line += breaks(record) + 1;
  }
  return { text, lines, rows };
}

async function linesOf(text: string, delimiter: string, chunk: number): Promise<{ line: number; cells: string[] }[]> {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const source = await readCsv(Readable.from(parts), { delimiter, recordDelimiter: detectRecordDelimiter(text), relaxQuotes: false, file: 'f.csv' });
  const out: { line: number; cells: string[] }[] = [];
  for await (const row of source.rows) out.push({ line: row.line, cells: row.cells ?? [] });
  return out;
}

describe('CSV rows and the lines they start on', () => {
  it.each([
    [',', '\n'],
    [';', '\r\n'],
    ['\t', '\r\n'],
    ['|', '\n'],
    [',', '\r'],
  ] as const)('delimiter %j, line ends %j: every record starts where it should, whatever the chunking', async (delimiter, nl) => {
    for (const seed of [1, 2, 3]) {
      const { text, lines, rows } = build(seed, delimiter, nl);
      for (const chunk of [1, 7, 64, 1 << 20]) {
        const got = await linesOf(text, delimiter, chunk);
        expect(got.map((g) => g.line)).toEqual(lines);
        expect(got.map((g) => g.cells)).toEqual(rows.map((cells) => cells.map((c) => (quoteCell(c, delimiter).startsWith('"') ? c : c.trim()))));
      }
    }
  });
});

describe('dialect and encoding detection', () => {
  it('finds the delimiter outside quotes and checks it on the next lines', () => {
    expect(sniffDelimiter('id;name;city\n1;"a;b";x\n2;c;"12,5"\n', true, 'f')).toBe(';');
    expect(sniffDelimiter('id,amount\n1,"12;5"\n', true, 'f')).toBe(',');
    expect(sniffDelimiter('id\tname\n1\tx\n', true, 'f')).toBe('\t');
    expect(countDelimiters('a,"b\nc",d\ne,f,g\n', true)).toEqual([
      [2, 0, 0, 0],
      [2, 0, 0, 0],
    ]);
    expect(() => sniffDelimiter('single\n1\n', true, 'f')).toThrow(/cannot tell the delimiter/);
  });

  it('reads the BOM, and checks UTF-8 only where there is none', () => {
    expect(chooseEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), undefined, 'f')).toEqual({ encoding: 'utf8', bomLength: 3, source: 'bom' });
    expect(chooseEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), undefined, 'f')).toMatchObject({ encoding: 'utf16le', bomLength: 2 });
    expect(() => chooseEncoding(Buffer.from('a,b\nCaf\xe9\n', 'latin1'), undefined, 'f')).toThrow(/f:2: the file is not UTF-8/);
    // A multi-byte character cut by the end of the sample is not an error.
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]), true)).toBeUndefined();
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]), false)).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]), false)).toBe(0);
  });
});
