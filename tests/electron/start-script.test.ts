import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('npm start (scripts/start-electron.mjs)', () => {
  it('without the Electron binary: one clear line, exit 1, nothing built', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'cq-no-electron-'));
    try {
      // electron's index.js resolves the binary inside ELECTRON_OVERRIDE_DIST_PATH: an empty folder has none.
      const r = spawnSync(process.execPath, ['scripts/start-electron.mjs'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
        timeout: 30_000,
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Electron's binary is not installed .*node node_modules\/electron\/install\.js.*npm run web/);
      expect(r.stderr).not.toMatch(/\bat .*\.m?js:\d+/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
