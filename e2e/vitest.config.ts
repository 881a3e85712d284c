import { defineConfig } from 'vitest/config';

// Browser journeys: one real server and one Chromium per file, files one after another.
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
