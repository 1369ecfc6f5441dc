import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { InvalidInputError, UsageError } from '../errors.js';

/**
 * Text encoding of an input file (reliability.md §4, §8.6). Everything after this stage sees UTF-8 bytes
 * without a BOM: a UTF-8 BOM is stripped here (not by csv-parse, so byte offsets stay ours), UTF-16 with a
 * BOM and any `--encoding` are decoded with iconv-lite (Node's `latin1` is not windows-1252: €, curly quotes).
 * Without a BOM or `--encoding` the file must be UTF-8; the first 64 KiB are checked up front and the rest
 * while reading, and a failure names the line and suggests `--encoding windows-1252`.
 */

export const SNIFF_BYTES = 64 * 1024;

export interface EncodingChoice {
  /** `utf8`, or an iconv-lite encoding name. */
  encoding: string;
  /** Bytes of byte-order mark at the start of the file, skipped before decoding. */
  bomLength: number;
  /** How it was chosen, for messages. */
  source: 'bom' | 'option' | 'default';
}

const UTF8_NAMES = new Set(['utf8', 'utf-8']);

export function isUtf8Name(name: string): boolean {
  return UTF8_NAMES.has(name.trim().toLowerCase());
}

export function checkEncodingName(name: string): void {
  const known: boolean = isUtf8Name(name) || iconv.encodingExists(name);
  if (!known) {
    throw new UsageError(`unknown encoding "${String(name)}"`, 'Use a name such as utf-8, windows-1252, latin1, iso-8859-15 or utf-16le.');
  }
}

/** Decides the encoding from the first bytes of the file and `--encoding`. */
export function chooseEncoding(head: Buffer, explicit: string | undefined, fileLabel: string): EncodingChoice {
  const bom = bomOf(head);
  if (explicit !== undefined) {
    checkEncodingName(explicit);
    const utf8 = isUtf8Name(explicit);
    // A BOM that agrees with the option is skipped; one that disagrees would be decoded as text.
    const skip = bom && ((utf8 && bom.encoding === 'utf8') || (!utf8 && normalise(explicit) === bom.encoding)) ? bom.length : 0;
    return { encoding: utf8 ? 'utf8' : explicit, bomLength: skip, source: 'option' };
  }
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, source: 'bom' };
  const bad = firstInvalidUtf8(head, true);
  if (bad !== undefined) throw notUtf8(fileLabel, head, bad);
  return { encoding: 'utf8', bomLength: 0, source: 'default' };
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function bomOf(head: Buffer): { encoding: string; length: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return undefined;
}

/** The error for bytes that are not UTF-8, naming the line (counted in `before` + `chunk`). */
export function notUtf8(fileLabel: string, chunk: Buffer, offset: number, linesBefore = 0): InvalidInputError {
  let line = linesBefore + 1;
  for (let i = 0; i < offset; i++) if (chunk[i] === 0x0a) line += 1;
  const byte = chunk[offset] ?? 0;
  return new InvalidInputError(
    `${fileLabel}:${line}: the file is not UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} cannot start or continue a UTF-8 character)`,
    'An export from Excel or an older ERP is often Windows-1252: add --encoding windows-1252 (or the encoding the file was saved in).',
  );
}

/**
 * Offset of the first byte that breaks UTF-8, or undefined. With `truncatedTailOk`, a sequence cut off by
 * the end of the buffer is fine (the buffer is a slice of a longer file).
 */
export function firstInvalidUtf8(buf: Buffer, truncatedTailOk: boolean): number | undefined {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return truncatedTailOk ? undefined : i;
      const c = buf[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}

/**
 * Raw file bytes in, UTF-8 bytes out: skips the BOM, decodes other encodings. With `validateUtf8`, UTF-8
 * input is checked as it passes (TextDecoder in fatal mode) and a bad byte fails the stream with the line.
 */
export class DecodeToUtf8 extends Transform {
  private skip: number;
  private readonly decoder: iconv.DecoderStream | undefined;
  private readonly validator: TextDecoder | undefined;
  private newlines = 0;

  constructor(
    choice: EncodingChoice,
    private readonly fileLabel: string,
    validateUtf8: boolean,
  ) {
    super();
    this.skip = choice.bomLength;
    this.decoder = choice.encoding === 'utf8' ? undefined : iconv.getDecoder(choice.encoding, { stripBOM: false });
    this.validator = choice.encoding === 'utf8' && validateUtf8 ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, buf.length);
      buf = buf.subarray(n);
      this.skip -= n;
      if (buf.length === 0) return done();
    }
    if (this.decoder) {
      const text = this.decoder.write(buf);
      return done(null, text === '' ? undefined : Buffer.from(text, 'utf8'));
    }
    if (this.validator) {
      try {
        this.validator.decode(buf, { stream: true });
      } catch {
        const at = firstInvalidUtf8(buf, true) ?? 0;
        return done(notUtf8(this.fileLabel, buf, at, this.newlines));
      }
      for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) this.newlines += 1;
    }
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    if (this.decoder) {
      const rest = this.decoder.end();
      return done(null, rest ? Buffer.from(rest, 'utf8') : undefined);
    }
    if (this.validator) {
      try {
        this.validator.decode();
      } catch {
        return done(new InvalidInputError(`${this.fileLabel}: the file ends in the middle of a UTF-8 character`, 'Add --encoding windows-1252 if the file was not saved as UTF-8.'));
      }
    }
    done();
  }
}

/** The first bytes of the file as text in the chosen encoding (for sniffing the delimiter). */
export function decodeHead(head: Buffer, choice: EncodingChoice): string {
  const body = head.subarray(choice.bomLength);
  if (choice.encoding === 'utf8') return new TextDecoder('utf-8').decode(body, { stream: true });
  const decoder = iconv.getDecoder(choice.encoding, { stripBOM: false });
  return decoder.write(body);
}
