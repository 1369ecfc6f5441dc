import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * The data file is NDJSON: a header line, then one visit per line. Line-per-record keeps a million visits
 * streamable in both directions (no single multi-gigabyte string), diffable, and greppable by hand.
 */
const HEADER = { ljitSandbox: 'visits', version: 1 } as const;
const LINES_PER_WRITE = 2000;

export class DataFileError extends Error {}

/** Streams the records of `file` to `onRecord`; false when the file does not exist. */
export async function readDataFile(file: string, onRecord: (rec: Record<string, unknown>) => void): Promise<boolean> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let lineNo = 0;
  const take = (line: string) => {
    lineNo += 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DataFileError(`cannot load sandbox data ${file}: line ${lineNo} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DataFileError(`cannot load sandbox data ${file}: line ${lineNo} is not a JSON object`);
    const rec = value as Record<string, unknown>;
    if (lineNo === 1 && rec.ljitSandbox !== undefined) {
      if (rec.ljitSandbox !== HEADER.ljitSandbox || rec.version !== HEADER.version)
        throw new DataFileError(`cannot load sandbox data ${file}: unsupported format ${JSON.stringify(rec)}`);
      return;
    }
    onRecord(rec);
  };
  try {
    for await (const chunk of stream) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
    }
    take(rest);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  } finally {
    stream.destroy();
  }
}

/**
 * Replaces `file` atomically: write a temporary file in the same directory, fsync it, rename it over the
 * old one, fsync the directory. A crash leaves either the old file or the new one, never half of each.
 */
export async function writeDataFile(file: string, records: Iterable<Record<string, unknown>>): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    let batch: string[] = [JSON.stringify(HEADER)];
    for (const rec of records) {
      batch.push(JSON.stringify(rec));
      if (batch.length >= LINES_PER_WRITE) {
        await handle.write(`${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) await handle.write(`${batch.join('\n')}\n`);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, file);
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or synced on some platforms (Windows); the rename is still atomic there.
  }
}
