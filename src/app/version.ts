/** The app version, read once from package.json (works from src/ under vitest and from dist/). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'calciquant' && pkg.version) return pkg.version;
    } catch {
      /* keep looking upwards */
    }
    dir = path.dirname(dir);
  }
  return '0.0.0-unknown';
}

export const APP_VERSION: string = findPackageJson(path.dirname(fileURLToPath(import.meta.url)));
