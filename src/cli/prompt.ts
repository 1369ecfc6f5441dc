import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { IO } from '../context.js';

/** Reads a secret from the terminal without echoing it. */
export async function promptSecret(io: IO, question: string): Promise<string> {
  let muted = false;
  // readline echoes what it reads; a writable that drops output while muted hides the typed key.
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  try {
    const answer = new Promise<string>((resolve, reject) => {
      rl.question(question, resolve);
      rl.once('close', () => reject(new Error('input closed')));
    });
    muted = true;
    const value = await answer;
    io.stderr.write('\n');
    return value.trim();
  } finally {
    rl.close();
  }
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
export async function promptConfirm(io: IO, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: io.stdinIsTTY });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question} [y/N] `, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

/** All of stdin as text (for --with-key and `-` arguments). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk));
  return Buffer.concat(chunks).toString('utf8');
}
