import type { Rng } from './random.js';

export interface FaultSettings {
  latencyMs: number;
  jitterMs: number;
  failRate: number;
  dropRate: number;
}

export type FaultPlan =
  | { kind: 'none'; delayMs: number }
  /** Answer 500 or 503 without touching the request. */
  | { kind: 'fail'; delayMs: number; status: 500 | 503 }
  /** Process the request, then cut the connection part-way through the body. */
  | { kind: 'drop'; delayMs: number };

/**
 * Decides what goes wrong with one request. Every call draws the same number of values whatever the
 * settings, so with a fixed random seed the n-th request meets the same fate across runs even when
 * settings change mid-run (setOptions).
 */
export function planFaults(settings: FaultSettings, rng: Rng): FaultPlan {
  const jitterDraw = rng();
  const failDraw = rng();
  const statusDraw = rng();
  const dropDraw = rng();
  const delayMs = Math.max(0, settings.latencyMs + Math.round(jitterDraw * settings.jitterMs));
  if (failDraw < settings.failRate) return { kind: 'fail', delayMs, status: statusDraw < 0.5 ? 500 : 503 };
  if (dropDraw < settings.dropRate) return { kind: 'drop', delayMs };
  return { kind: 'none', delayMs };
}
