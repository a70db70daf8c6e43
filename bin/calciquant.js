#!/usr/bin/env node
// Entry point of the `calciquant` command. The core is compiled to dist/ by `npm run build:core`
// (run automatically by `npm ci` through the `prepare` script).
// The analysis pool runs best with the V8 flags of src/app/gc-flags.ts, which node only takes at
// start-up: without them, this script starts itself again with them and passes on the exit code.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const self = fileURLToPath(import.meta.url);
const dist = path.join(path.dirname(self), '..', 'dist', 'src');
const cli = path.join(dist, 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('calciquant: the core is not built yet. Run `npm run build:core` (or `npm ci`) first.\n');
  process.exit(1);
}
const args = process.argv.slice(2);
const { relaunchArgs, runRelaunched } = await import(pathToFileURL(path.join(dist, 'app', 'gc-flags.js')).href);
const relaunch = relaunchArgs({ execArgv: process.execArgv, scriptPath: self, args, env: process.env });
const code = relaunch ? await runRelaunched(relaunch) : null;
if (code !== null) process.exitCode = code;
else {
  const { main } = await import(pathToFileURL(cli).href);
  process.exitCode = await main(args);
}
