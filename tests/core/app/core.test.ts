import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/app/core.js';
import type { AnalysisHost } from '../../../src/app/analysis-host.js';
import type { BatchProgress } from '../../../src/common/api.js';
import { AppError } from '../../../src/common/errors.js';
import { runAnalysisJob } from '../../../src/workers/analysis-job.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { writeStainedSection } from '../helpers/stained-images.js';

let dir: string;
let images: { path: string; displayName: string }[];

beforeAll(async () => {
  dir = await makeTempDir('calciquant-core-');
  images = [];
  for (const name of ['a.png', 'crash.png', 'c.png']) {
    const s = await writeStainedSection(dir, name, { stain: 'vonkossa', seed: name.length });
    images.push({ path: s.path, displayName: name });
  }
});
afterAll(() => removeTempDir(dir));

/** Runs jobs in-process, but a job whose name contains "crash" fails like a dead worker. */
function flakyHost(): AnalysisHost {
  return {
    size: 2,
    run: async (job, signal) => {
      if (job.displayName.includes('crash')) {
        throw new AppError('WORKER_CRASHED', 'The analysis engine stopped unexpectedly while working on this image. Try again.');
      }
      if (job.displayName.includes('slow')) {
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new AppError('CANCELLED', 'Cancelled.'))));
      }
      return runAnalysisJob(job);
    },
    destroy: async () => {},
  };
}

describe('createCore', () => {
  it('a crashed worker fails only its image; progress events cover every image', async () => {
    const core = createCore({ createHost: flakyHost });
    const events: BatchProgress[] = [];
    core.on('batch:progress', (p) => events.push(p));
    const id = await core.startBatch({ images, recipe: { preset: 'vonkossa' } });
    const summary = await core.waitForBatch(id);
    expect(summary.state).toBe('done');
    expect(summary.results.map((r) => r.status)).toEqual(['ok', 'error', 'ok']);
    expect(summary.results[1]).toMatchObject({ errorCode: 'WORKER_CRASHED' });
    expect(summary.results[1]!.error).toMatch(/^“crash\.png”: The analysis engine stopped/);
    expect(events).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ done: 3, failed: 1, total: 3, etaMs: 0 });
    await core.dispose();
  });

  it('cancel stops a batch within a second and marks the rest as cancelled', async () => {
    const core = createCore({ createHost: flakyHost });
    const id = await core.startBatch({ images: [images[0]!, { path: images[0]!.path, displayName: 'slow.png' }], recipe: { preset: 'vonkossa' } });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await core.cancelBatch(id);
    const summary = await core.waitForBatch(id);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(summary.state).toBe('cancelled');
    expect(summary.results[1]).toMatchObject({ status: 'error', errorCode: 'CANCELLED' });
    await core.dispose();
  });

  it('validates every request that enters the core', async () => {
    const core = createCore({ createHost: flakyHost });
    const bad = [
      {},
      { images: [], recipe: { preset: 'vonkossa' } },
      { images, recipe: { preset: 'hematoxylin' } },
      { images, recipe: { preset: 'vonkossa' }, pixelSizeUm: -1 },
      { images, recipe: { preset: 'vonkossa' }, extra: 1 },
    ];
    for (const req of bad) await expect(core.startBatch(req as never)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(core.scanInputs([42] as never)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(core.getBatch('nope' as never)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(core.exportResults({ batchId: 'nope', outDir: dir })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(core.startBatch({ images, recipe: { document: { format: 'calciquant-recipe', schemaVersion: 1 }, source: 'x.json' } }))
      .rejects.toMatchObject({ code: 'RECIPE_INVALID' });
    await core.dispose();
  });

  it('reports its version and presets', async () => {
    const core = createCore({ createHost: flakyHost });
    const info = await core.getAppInfo();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.presets.map((p) => p.name)).toEqual(['alizarin', 'vonkossa']);
    await core.dispose();
  });
});
