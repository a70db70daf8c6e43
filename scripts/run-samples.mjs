#!/usr/bin/env node
// `npm start` (until the desktop app lands): analyses the bundled sample images with the CLI and
// prints where the results and overlays are. Ground truth of the samples: assets/samples/truth.json.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = [
  ['alizarin', 'tissue', 'alizarin'],
  ['alizarin-wells', 'well', 'alizarin'],
  ['vonkossa', 'tissue', 'vonkossa'],
  ['vonkossa-wells', 'well', 'vonkossa'],
];
let worst = 0;
for (const [folder, reference, preset] of runs) {
  const out = path.join(root, 'out', 'samples', folder);
  process.stderr.write(`\n== ${folder}: --preset ${preset} --reference ${reference}\n`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'calciquant.js'), 'analyze', path.join(root, 'assets', 'samples', folder),
    '--preset', preset, '--reference', reference, '--overlays', '--out', out], { stdio: 'inherit' });
  worst = Math.max(worst, r.status ?? 1);
}
process.stderr.write(`\nResults and overlays: ${path.join(root, 'out', 'samples')}\n`);
process.exit(worst);
