// The real-engine suite (`npm run test:e2e`), kept apart from `npm test`: its files end in .e2e.ts,
// which the unit suite's default include pattern (*.test.ts) does not match.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // one engine, two cores shared with others: files and tests run one after another
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 600_000,
    teardownTimeout: 300_000,
    reporters: ['verbose'],
  },
});
