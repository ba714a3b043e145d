import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 * - `unit`: everything but test/e2e, files in parallel (integration tests share one Redis; each file
 *   uses its own queue prefix);
 * - `e2e`: test/e2e, real processes of the bot; one file at a time (each starts 4 bot processes on a
 *   2-core host), after `unit` has finished (groupOrder), with timeouts sized for whole scripted days.
 * `npm run test:e2e` runs the e2e project alone.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          fileParallelism: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
