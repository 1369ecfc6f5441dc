import { createHash } from 'node:crypto';
import type { Rng } from './random.js';

/** Meteor's id alphabet (no 0, 1, I, O, U, V, l): LetsJobIt `_id`s and company ids look like `yKQhJZ9B7PTT85kWc`. */
export const METEOR_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
export const METEOR_ID_LENGTH = 17;

export function meteorId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < METEOR_ID_LENGTH; i++) id += METEOR_ALPHABET[Math.floor(rng() * METEOR_ALPHABET.length)];
  return id;
}

/**
 * The company a key belongs to. Derived from the key (not stored) so that a data file written under one
 * run still belongs to the same key after a restart, and two sandboxes agree without sharing state.
 */
export function companyIdForKey(key: string): string {
  const digest = createHash('sha256').update(`ljit-sandbox-company:${key}`).digest();
  let id = '';
  for (let i = 0; i < METEOR_ID_LENGTH; i++) id += METEOR_ALPHABET[(digest[i] ?? 0) % METEOR_ALPHABET.length];
  return id;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Server-local `YYYY-MM-DD HH:mm:ss`, the form of `createdAt` and `modifieddAt` (ruling 9). */
export function localTimestamp(ms: number, withSeconds = true): string {
  const d = new Date(ms);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${day} ${time}:${pad(d.getSeconds())}` : `${day} ${time}`;
}

/** Server-local `YYYY-MM-DD`. */
export function localDate(ms: number): string {
  return localTimestamp(ms).slice(0, 10);
}
