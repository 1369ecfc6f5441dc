import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    // Two cores on CI: keep the real-time rate-limit tests from starving each other.
    maxWorkers: 2,
  },
});
