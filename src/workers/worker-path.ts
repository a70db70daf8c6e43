/**
 * Where a worker thread's compiled module is. Worker threads load JavaScript only, so a caller
 * running from TypeScript sources (vitest) is pointed at the build output in `dist/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../common/errors.js';

/**
 * Absolute path of a compiled worker module, `relJs` being relative to the calling module.
 * Under vitest the caller is `<root>/src/**.ts`: the path then points into `<root>/dist/src/**`,
 * where `npm run build:core` puts the JS (worker threads cannot load our `.ts`). Compiled callers
 * resolve next to themselves. Throws when the file does not exist.
 */
export function resolveCompiledPath(importMetaUrl: string, relJs: string): string {
  const caller = fileURLToPath(importMetaUrl);
  let dir = path.dirname(caller);
  if (caller.endsWith('.ts') && !caller.endsWith('.d.ts')) {
    const marker = `${path.sep}src${path.sep}`;
    const at = caller.lastIndexOf(marker);
    if (at >= 0) {
      const root = caller.slice(0, at);
      dir = path.join(root, 'dist', path.relative(root, dir));
    }
  }
  const p = path.resolve(dir, relJs);
  if (!existsSync(p)) throw missingWorkerModule(p);
  return p;
}

/** The error for a worker module that was not built or not shipped. */
export function missingWorkerModule(p: string): AppError {
  return new AppError(
    'INTERNAL',
    'A part of the analysis engine is missing. Reinstall the app, or run "npm run build:core" in a ' +
      'development checkout.',
    { detail: `worker module ${p} does not exist (run npm run build:core)` },
  );
}
