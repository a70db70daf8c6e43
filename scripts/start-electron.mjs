#!/usr/bin/env node
// `npm start`: builds the core, the renderer and the Electron bundles, then runs the desktop app.
// Where Electron's binary is not installed (our build machines: ELECTRON_SKIP_BINARY_DOWNLOAD),
// says so in one line and exits 1 before building anything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const MAIN = 'dist-electron/main.js';

const NO_BINARY =
  "Electron's binary is not installed (it is downloaded by npm ci on a machine with internet; " +
  'ELECTRON_SKIP_BINARY_DOWNLOAD was set?). Run "node node_modules/electron/install.js" to fetch it, ' +
  'or "npm run web" to use Calciquant in your browser.';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Path of the Electron executable, or null when the npm package has no binary. */
function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  const [cmd, args] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, 'run', script]] : ['npm', ['run', script]];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && cmd === 'npm' });
  if (r.status !== 0) fail(`"npm run ${script}" failed; see above.`);
}

const electron = electronBinary();
if (!electron) fail(NO_BINARY);
if (pkg.main !== MAIN) fail(`package.json "main" must be "${MAIN}" for "npm start" (it is "${pkg.main}").`);

npmRun('build:core');
if (pkg.scripts?.['build:renderer']) npmRun('build:renderer');
else if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  process.stderr.write('No "build:renderer" script yet: the window will show a placeholder until the UI is built.\n');
}
try {
  await buildElectron();
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => fail(`Electron could not be started: ${e.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
