import type { Clock } from '../../src/context.js';

/**
 * Virtual time: sleep() advances the clock by the requested time at once and records it, so backoff and
 * rate-limit waits run instantly and can be asserted exactly.
 */
export function virtualClock(start = 1_700_000_000_000): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += Math.max(0, ms);
      await Promise.resolve();
    },
  };
}

/**
 * Real time for now(); each sleep is recorded and actually lasts at most `capMs`, so backoff is asserted
 * from the record while a wait on real time (a rate-limit pause) still ends by polling.
 */
export function recordingClock(capMs = 5): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, capMs)));
      signal?.throwIfAborted();
    },
  };
}
