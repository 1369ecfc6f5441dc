import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined | null;

/**
 * A full garbage collection, for long streaming runs (a list or import of a million visits). Under a high
 * allocation rate V8 lets the heap grow far beyond what is alive before it collects; calling this every
 * few thousand records keeps the process's memory flat at little cost (a few ms on a small heap).
 * Turns itself into a no-op where the runtime does not allow it.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (typeof exposed === 'function') gc = exposed;
      else {
        // The way Node's documentation of v8.setFlagsFromString shows.
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      }
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/** Import rows between full collections: a row's garbage is small, so fewer collections suffice. */
export const ROWS_PER_COLLECTION = 10_000;

/** Calls collectGarbage() once every `every` calls. */
export function periodicGarbageCollector(every: number): () => void {
  let count = 0;
  return () => {
    count += 1;
    if (count % every === 0) collectGarbage();
  };
}
