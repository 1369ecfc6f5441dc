import { randomInt } from 'node:crypto';

/** A source of floats in [0, 1). Everything random in the sandbox draws from one of these, never Math.random. */
export type Rng = () => number;

/**
 * mulberry32: tiny, fast and good enough for test data and fault injection. Seeded runs must replay
 * exactly (same records, same faults), which is why nothing here falls back to Math.random.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the UTF-16 code units: turns a seed string ("demo", "42", "42:faults") into a 32-bit seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded generator for one purpose, so adding draws in one place never shifts another's sequence. */
export function rngFor(randomSeed: string | number | undefined, purpose: string): Rng {
  const base = randomSeed === undefined ? String(randomInt(2 ** 47)) : String(randomSeed);
  return mulberry32(hashSeed(`${base}:${purpose}`));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError('pick() needs a non-empty list');
  return item;
}

/** An integer in [min, max]. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}
