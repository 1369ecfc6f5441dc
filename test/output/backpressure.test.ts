import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createRenderer, type OutputFormat } from '../../src/output/renderer.js';
import { OutputClosedError } from '../../src/output/sink.js';
import { referenceVisit } from './fixtures.js';
import { memoryIO } from './helpers.js';

/** A reader that takes one chunk and holds it until released. */
class HeldWritable extends Writable {
  held: (() => void)[] = [];
  chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.held.push(() => cb());
  }
  release(): void {
    for (const cb of this.held.splice(0)) cb();
  }
}

/** A reader that takes a chunk on the next turn of the event loop, noting the most it ever had buffered. */
class SlowWritable extends Writable {
  maxBuffered = 0;
  maxChunk = 0;
  bytes = 0;
  lines = 0;
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.maxChunk = Math.max(this.maxChunk, chunk.length);
    this.bytes += chunk.length;
    this.lines += chunk.split('\n').length - 1;
    setImmediate(cb);
  }
}

function renderer(format: OutputFormat, stdout: NodeJS.WritableStream) {
  const { io } = memoryIO({ tty: false, stdout });
  return createRenderer({ format, io, color: false, env: {}, header: true, escapeFormulas: false, kind: 'visits' });
}

describe('backpressure', () => {
  it.each(['ndjson', 'csv', 'json', 'table'] as const)('%s: write() waits for drain while the reader holds a chunk', async (format) => {
    const sink = new HeldWritable();
    const r = renderer(format, sink);
    let settled = false;
    const first = r.write(referenceVisit).then(() => {
      settled = true;
    });
    await tick();
    await tick();
    expect(settled).toBe(false);
    expect(sink.held).toHaveLength(1);
    sink.release();
    await first;
    expect(settled).toBe(true);
  });

  it.each(['ndjson', 'csv', 'json', 'table'] as const)('%s: memory stays flat: never more than one chunk buffered', async (format) => {
    const sink = new SlowWritable();
    const r = renderer(format, sink);
    const n = 2000;
    const record = { ...referenceVisit };
    for (let i = 0; i < n; i++) await r.write(record);
    await r.end();
    await new Promise<void>((resolve) => sink.end(resolve));
    // Had write() ignored backpressure, the stream would hold every record: 2000 × ~1 KB.
    expect(sink.maxBuffered).toBeLessThanOrEqual(sink.maxChunk);
    expect(sink.maxChunk).toBeLessThan(4096);
    expect(sink.lines).toBeGreaterThanOrEqual(n);
  });

  it('rejects with OutputClosedError when the reader goes away mid-wait, instead of hanging', async () => {
    const sink = new HeldWritable();
    const r = renderer('ndjson', sink);
    const pending = r.write(referenceVisit);
    await tick();
    sink.destroy();
    await expect(pending).rejects.toBeInstanceOf(OutputClosedError);
    await expect(r.write(referenceVisit)).rejects.toBeInstanceOf(OutputClosedError);
  });
});
