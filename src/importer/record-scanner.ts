import { Transform, type TransformCallback } from 'node:stream';

/**
 * Physical line numbers for CSV records. csv-parse's `info.lines` is the line where a record *ends*, it
 * counts a CRLF inside quotes as two lines, and `info: true` costs an object per record (a third of the
 * memory of a large import). This stage sits just before the parser, passes the bytes through, and finds
 * where each record starts with the same rules csv-parse applies (one delimiter, quotes only at the start
 * of a cell, `""` inside quotes, cells trimmed, empty and blank lines skipped), so the n-th record the
 * parser emits starts on the n-th line queued here. Lines count CRLF, LF and a lone CR as one break each.
 *
 * Whitespace for "blank line" and trimming is ASCII space, tab (unless it is the delimiter), CR, LF, VT, FF
 * and NBSP; a line made only of rarer Unicode spaces would shift the numbers of the lines after it.
 */

export type RecordDelimiter = '\n' | '\r\n' | '\r';

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside quotes: the next byte says whether it was `""` or the closing quote. */
  QuoteInQuoted,
  AfterQuote,
}

/** The first line break outside quotes in the sample decides, as csv-parse's auto-detection would. */
export function detectRecordDelimiter(text: string): RecordDelimiter {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === '\r') return text[i + 1] === '\n' ? '\r\n' : '\r';
    else if (!inQuotes && c === '\n') return '\n';
  }
  return '\n';
}

export class RecordScanner extends Transform {
  private readonly delimiter: number;
  private readonly rd: RecordDelimiter;
  private readonly relaxQuotes: boolean;
  private state = S.FieldStart;
  private line = 1;
  private previous = -1;
  private hasContent = false;
  private recordLine = 1;
  private readonly queue: number[] = [];
  private head = 0;

  constructor(o: { delimiter: string; recordDelimiter: RecordDelimiter; relaxQuotes: boolean }) {
    super();
    this.delimiter = o.delimiter.charCodeAt(0);
    this.rd = o.recordDelimiter;
    this.relaxQuotes = o.relaxQuotes;
  }

  private isBlank(b: number, next: number | undefined): boolean {
    return b === 0x20 || (b === 0x09 && this.delimiter !== 0x09) || b === CR || b === LF || b === 0x0b || b === 0x0c || (b === 0xc2 && next === 0xa0) || (b === 0xa0 && this.previous === 0xc2);
  }

  private endRecord(): void {
    if (this.hasContent) this.queue.push(this.recordLine);
    this.hasContent = false;
    this.state = S.FieldStart;
  }

  private scan(buf: Buffer): void {
    const d = this.delimiter;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i] as number;
      // Lines, whatever the quotes.
      if (b === CR) this.line += 1;
      else if (b === LF && this.previous !== CR) this.line += 1;

      const state = this.state;
      if (state === S.Quoted) {
        if (b === QUOTE) this.state = S.QuoteInQuoted;
        this.previous = b;
        continue;
      }
      if (state === S.QuoteInQuoted && b === QUOTE) {
        this.state = S.Quoted;
        this.previous = b;
        continue;
      }
      if (state === S.QuoteInQuoted) this.state = S.AfterQuote;

      const recordEnd = this.rd === '\n' ? b === LF : this.rd === '\r' ? b === CR : b === LF && this.previous === CR;
      if (recordEnd) {
        this.endRecord();
        this.previous = b;
        continue;
      }
      const blank = this.isBlank(b, buf[i + 1]);
      if (!blank && !this.hasContent) {
        this.hasContent = true;
        // The line this byte is on: a CR just counted belongs to the previous line's end.
        this.recordLine = this.line;
      }
      switch (this.state) {
        case S.FieldStart:
          if (b === QUOTE) this.state = S.Quoted;
          else if (b !== d && !blank) this.state = S.Unquoted;
          break;
        case S.Unquoted:
          if (b === d) this.state = S.FieldStart;
          break;
        case S.AfterQuote:
          if (b === d) this.state = S.FieldStart;
          else if (!blank && this.relaxQuotes) this.state = S.Unquoted;
          break;
        case S.Quoted:
        case S.QuoteInQuoted:
          break;
      }
      this.previous = b;
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.scan(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.state !== S.Quoted) this.endRecord();
    done();
  }

  /** The line the next record the parser emits starts on (0 if the two ever disagree). */
  next(): number {
    if (this.head >= this.queue.length) return 0;
    const line = this.queue[this.head] ?? 0;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return line;
  }

  /** Where the record the parser could not finish starts: the next one queued, or the one being read. */
  failureLine(): number {
    if (this.head < this.queue.length) return this.queue[this.head] ?? 0;
    return this.hasContent ? this.recordLine : this.line;
  }
}
