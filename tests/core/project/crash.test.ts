/**
 * Crash safety (issue 4): a child process saves region edits in a tight loop and is killed with
 * SIGKILL at random moments; the project must always reopen with at most the last gesture lost.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageId } from '../../../src/common/api.js';
import { createProject, openProject } from '../../../src/project/store.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { gesture, listFiles, seqOf, writeImage } from './helpers.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const ITERATIONS = 30;
/** The writer bundled once (starts in ~0.2 s; via `--import tsx` ~0.4 s); sharp stays in a lazy chunk. */
const bundleDir = path.join(repoRoot, 'tests', '.tmp', `crash-writer-${process.pid}`);
const writer = path.join(bundleDir, 'crash-writer.mjs');

let root: string;
let proj: string;
let imageId: ImageId;

beforeAll(async () => {
  await build({
    entryPoints: [path.join(import.meta.dirname, 'crash-writer.ts')],
    outdir: bundleDir, bundle: true, splitting: true, platform: 'node', format: 'esm', packages: 'external',
    outExtension: { '.js': '.mjs' }, logLevel: 'error',
  });
  root = await makeTempDir('calciquant-crash-');
  proj = path.join(root, 'Crash.calciquant');
  const s = await createProject(proj, 'Crash');
  imageId = (await s.addImages([await writeImage(root, 'a.png', 1)])).added[0]!.id;
  await s.saveRois(imageId, gesture(0));
  await s.close();
});
afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  await removeTempDir(root);
});

interface Run {
  readonly delayMs: number;
  readonly startSeq: number;
  readonly lastSaved: number;
  readonly stderr: string;
}

/** Starts the writer, kills it `delayMs` after it reported ready, returns what it reported. */
function runAndKill(delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, proj, imageId], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let startSeq = -1;
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^ready (\d+)$/m.exec(stdout);
      if (startSeq < 0 && m) {
        startSeq = Number(m[1]);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(guard);
      if (startSeq < 0) return reject(new Error(`writer never became ready: ${stderr}`));
      const saved = [...stdout.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({ delayMs, startSeq, lastSaved: Math.max(startSeq, ...saved), stderr });
    });
  });
}

describe('crash safety', () => {
  it(`reopens after ${ITERATIONS} kill -9 during saves with at most the last gesture lost`, async () => {
    let progress = 0;
    let midWrite = 0; // kills that left a temp file: the writer was inside a save
    for (let i = 0; i < ITERATIONS; i++) {
      const run = await runAndKill(5 + Math.floor(Math.random() * 76));
      expect(run.stderr, `iteration ${i}`).toBe('');
      if ((await listFiles(proj)).some((f) => f.endsWith('.tmp'))) midWrite++;
      const store = await openProject(proj, { verify: 'size' }); // must always open (stale lock taken over)
      try {
        expect(store.openWarnings, `iteration ${i}`).toEqual([]);
        const rois = await store.loadRois(imageId);
        expect(rois.warnings, `iteration ${i}`).toEqual([]);
        const recovered = seqOf(rois.value);
        expect(recovered, `iteration ${i}: ${JSON.stringify(run)}`).toBeGreaterThanOrEqual(run.lastSaved - 1);
        expect(rois.value).toEqual(gesture(recovered)); // a complete gesture, never a mix
        expect((await listFiles(proj)).filter((f) => f.endsWith('.tmp') || f === '.lock')).toEqual(['.lock']);
        progress += recovered - run.startSeq;
      } finally {
        await store.close();
      }
    }
    expect(progress).toBeGreaterThan(ITERATIONS); // the writer made progress between kills …
    expect(midWrite).toBeGreaterThan(0); // … and was killed inside a save (about half the time)
  }, 30_000);
});
