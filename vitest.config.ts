import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local and one fauxqs for the whole run (see test/support/localServices.ts).
    globalSetup: ['test/globalSetup.ts'],
    // Each test file in its own process: handlers read process.env at import time.
    pool: 'forks',
    // Two cores here, and DynamoDB Local and the e2e stacks want some of them.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
