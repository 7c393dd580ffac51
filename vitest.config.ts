import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'contracts/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite is single-threaded WASM per file; two files at a time fit two cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
