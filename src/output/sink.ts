/**
 * Writing to stdout with backpressure: `write` resolves at once while the stream has room and otherwise
 * waits for 'drain', so a producer that awaits it (a million records from the paginator) keeps memory flat
 * however slow the reader is. A reader that goes away (`ljit visits list | head`) ends the wait with
 * OutputClosedError instead of hanging.
 */

export class OutputClosedError extends Error {
  constructor(cause?: unknown) {
    super('output closed by the reader', cause === undefined ? undefined : { cause });
    this.name = 'OutputClosedError';
  }
}

function waitForDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown) => {
      cleanup();
      const code = (err as { code?: unknown } | null)?.code;
      reject(code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || !(err instanceof Error) ? new OutputClosedError(err) : err);
    };
    const onClose = () => {
      cleanup();
      reject(new OutputClosedError());
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function isGone(stream: NodeJS.WritableStream): boolean {
  const s = stream as { destroyed?: boolean; writableEnded?: boolean };
  return s.destroyed === true || s.writableEnded === true;
}

/** Write text; resolves when the stream can take more. */
export async function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return;
  if (isGone(stream)) throw new OutputClosedError();
  if (stream.write(text)) return;
  if (isGone(stream)) throw new OutputClosedError();
  await waitForDrain(stream);
}
