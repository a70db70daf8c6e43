#!/usr/bin/env node
// Entry point of the `calciquant` command. The core is compiled to dist/ by `npm run build:core`
// (run automatically by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('calciquant: the core is not built yet. Run `npm run build:core` (or `npm ci`) first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
