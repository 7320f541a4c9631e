import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/fastCheckSeed.ts', 'test/support/engineDetectors.ts'],
    reporters: ['default', './test/support/plainSummary.ts'],
    testTimeout: 30000,
    hookTimeout: 120000,
  },
});
