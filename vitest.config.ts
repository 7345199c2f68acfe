import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal native bridge is not safe in worker threads.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.test.ts'], exclude: ['**/*.integration.test.ts', '**/node_modules/**', 'web/**'] },
      },
      { extends: true, test: { name: 'web-unit', include: ['web/app/**/*.test.ts'], exclude: ['**/*.integration.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['scripts/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
