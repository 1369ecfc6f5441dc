import { defineConfig } from 'vitest/config';

/** `npm run bench`: each file measures ljit and its baseline in the same run, one file at a time. */
export default defineConfig({
  test: {
    include: ['test/bench/**/*.perf.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
