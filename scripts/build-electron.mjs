#!/usr/bin/env node
// Bundles the Electron shell with esbuild into dist-electron/:
//   main.js           ESM, Electron's main process (electron/main/index.ts)
//   analysis-host.js  ESM, the analysis utility process (electron/utility/analysis-host.ts)
//   preload.cjs       ONE CommonJS file (sandboxed preloads cannot import modules)
// main and the utility import the core from the compiled dist/src/ (npm run build:core), not
// bundled: the worker pool finds its worker module next to the compiled core, and the core's
// packages (sharp, zod, …) stay in node_modules. The preload bundles what it uses of src/common.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, 'dist-electron');
const srcDir = path.join(root, 'src') + path.sep;

/** Rewrites imports of `<root>/src/**.js` to the compiled `../dist/src/**.js` and leaves them external. */
const compiledCore = {
  name: 'compiled-core',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const abs = path.resolve(args.resolveDir, args.path);
      if (!abs.startsWith(srcDir)) return undefined;
      const rel = path.relative(root, abs).split(path.sep).join('/').replace(/\.ts$/, '.js');
      return { path: `../dist/${rel}`, external: true };
    });
  },
};

const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', absWorkingDir: root };
const node = { ...common, platform: 'node', format: 'esm', target: 'node20', packages: 'external', plugins: [compiledCore] };

export async function buildElectron({ quiet = false } = {}) {
  if (!existsSync(path.join(root, 'dist', 'src', 'app', 'core.js'))) {
    throw new Error('dist/src is missing: run "npm run build:core" first.');
  }
  await rm(OUT_DIR, { recursive: true, force: true });
  await Promise.all([
    build({ ...node, entryPoints: ['electron/main/index.ts'], outfile: path.join(OUT_DIR, 'main.js'), external: ['electron'] }),
    build({ ...node, entryPoints: ['electron/utility/analysis-host.ts'], outfile: path.join(OUT_DIR, 'analysis-host.js'), external: ['electron'] }),
    build({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: path.join(OUT_DIR, 'preload.cjs'),
      platform: 'browser',
      format: 'cjs',
      target: 'es2022',
      external: ['electron'],
      // zod comes along with src/common/api.ts (its schemas): minified, it loads in ~50 ms.
      minify: true,
    }),
  ]);
  if (!quiet) process.stderr.write(`Electron bundles written to ${path.relative(root, OUT_DIR)}/\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildElectron().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
