/**
 * The neighbour of bench/contention.ts: a second thread that analyses the same image over and
 * over while `state[0]` is RUN, and waits while it is PAUSE, until STOP (as a second worker would).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPreset } from '../src/app/recipes.js';
import { decodeImage } from '../src/io/decode.js';
import { analyzeImage } from '../src/pipeline/analyze.js';
import { PAUSE, STOP } from './contention.js';
import type { BenchStain } from './inputs.js';

const { filePath, preset, state: buffer } = workerData as { filePath: string; preset: BenchStain; state: SharedArrayBuffer };
const state = new Int32Array(buffer);
const image = await decodeImage(filePath);
const input = { image, pixelSizeUm: image.pixelSizeUm, referenceKind: 'tissue' as const };
const recipe = loadPreset(preset);
analyzeImage(input, recipe); // compiled and warm before anything is timed
parentPort!.postMessage('ready');
for (;;) {
  const s = Atomics.load(state, 0);
  if (s === STOP) break;
  if (s === PAUSE) Atomics.wait(state, 0, PAUSE);
  else analyzeImage(input, recipe);
}
