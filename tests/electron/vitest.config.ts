// Stand-alone config for the Electron shell tests until tests/electron joins vitest.config.ts's
// projects: npx vitest run --config tests/electron/vitest.config.ts
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    name: 'electron',
    environment: 'node',
    include: ['tests/electron/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
