import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { Context } from '../context.js';
import { InvalidInputError, UsageError } from '../errors.js';
import { chooseEncoding, decodeHead, DecodeToUtf8, SNIFF_BYTES, type EncodingChoice } from './encoding.js';
import type { InputFormat } from './types.js';

/**
 * Where the rows come from: a file, or stdin spooled to a temporary file (it has to be read twice: once to
 * validate everything, once to send), with the format from --input-format, the extension, or (stdin) the
 * first character.
 */

export interface InputFile {
  /** As the user named it, for messages (`<stdin>` for -). */
  label: string;
  /** The file actually read. */
  path: string;
  /** Absolute path of the user's file; undefined for stdin. */
  absolute: string | undefined;
  format: InputFormat;
  size: number;
  mtimeMs: number;
  encoding: EncodingChoice;
  /** The first bytes decoded, for delimiter sniffing. */
  head: string;
  /** True when `head` is the whole file. */
  headIsWhole: boolean;
  cleanup(): Promise<void>;
}

export function formatFromExtension(path: string): InputFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  return undefined;
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function openInput(ctx: Context, file: string, opts: { inputFormat?: InputFormat; encoding?: string }, what = 'input'): Promise<InputFile> {
  let path: string;
  let cleanup = (): Promise<void> => Promise.resolve();
  const isStdin = file === '-';
  if (isStdin) {
    if (ctx.io.stdinIsTTY) throw new UsageError('reading visits from stdin, but stdin is a terminal', 'Pipe a file in (ljit visits import - < visits.csv) or name the file.');
    const dir = await mkdtemp(join(tmpdir(), 'ljit-import-'));
    path = join(dir, 'stdin');
    cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      await pipelineAsync(ctx.io.stdin, createWriteStream(path, { mode: 0o600 }));
    } catch (err) {
      await cleanup();
      throw err;
    }
  } else {
    path = resolve(file);
  }
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    await cleanup();
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${what} file not found: ${file}`);
    throw err;
  }
  if (info.isDirectory()) {
    await cleanup();
    throw new UsageError(`${file} is a directory, not a file`);
  }
  const label = isStdin ? '<stdin>' : file;
  const headBytes = await readHead(path);
  let encoding: EncodingChoice;
  try {
    encoding = chooseEncoding(headBytes, opts.encoding, label);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const head = decodeHead(headBytes, encoding);
  let format = opts.inputFormat ?? (isStdin ? undefined : formatFromExtension(path));
  if (!format) {
    const first = head.trimStart()[0];
    format = first === '[' ? 'json' : first === '{' ? 'ndjson' : 'csv';
  }
  return {
    label,
    path,
    absolute: isStdin ? undefined : path,
    format,
    size: info.size,
    mtimeMs: info.mtimeMs,
    encoding,
    head,
    headIsWhole: headBytes.length >= info.size,
    cleanup,
  };
}

/** Counts and hashes the raw bytes as they pass. */
export class HashTap extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  digest: string | undefined;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    done();
  }
}

/**
 * The file as UTF-8 bytes without a BOM. With a tap, the raw bytes are hashed on the way and UTF-8 is
 * checked to the end (pass 1); pass 2 reads the same bytes again without the checks.
 */
export function utf8Bytes(input: Pick<InputFile, 'path' | 'label' | 'encoding'>, tap?: HashTap): Readable {
  const decode = new DecodeToUtf8(input.encoding, input.label, tap !== undefined);
  const source = createReadStream(input.path, { highWaterMark: 256 * 1024 });
  const done = (): void => undefined;
  return tap ? pipeline(source, tap, decode, done) : pipeline(source, decode, done);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function ensureNotEmpty(input: InputFile): void {
  if (input.size === 0) throw new InvalidInputError(`${input.label}: the file is empty`);
}
