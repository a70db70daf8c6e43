import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset, recipeHash } from '../../../src/app/recipes.js';
import { runAnalysisJob, type AnalysisJob } from '../../../src/workers/analysis-job.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { writeStainedSection } from '../helpers/stained-images.js';

let dir: string;
const files: string[] = [];

beforeAll(async () => {
  dir = await makeTempDir('calciquant-job-');
  files.push((await writeStainedSection(dir, 'one.png', { stain: 'alizarin', seed: 3 })).path);
  files.push((await writeStainedSection(dir, 'two.png', { stain: 'alizarin', seed: 4, deposits: [[0.3, 0.5, 0.06], [0.7, 0.45, 0.04]] })).path);
});
afterAll(() => removeTempDir(dir));

function job(filePath: string, overlayBase: string): AnalysisJob {
  const recipe = loadPreset('alizarin');
  return {
    filePath, displayName: filePath, recipe, recipeHash: recipeHash(recipe), appVersion: 'test',
    overlay: { outDir: dir, baseName: overlayBase },
  };
}

describe('analysis jobs one after another (mask buffers are reused between images)', () => {
  it('give the same results and masks as each image analysed first', async () => {
    const firstOfTwo = await runAnalysisJob(job(files[1]!, 'two-first'));
    const one = await runAnalysisJob(job(files[0]!, 'one'));
    const two = await runAnalysisJob(job(files[1]!, 'two-again')); // reuses the buffers of "one"
    expect(one.result.status).toBe('ok');
    expect(two.result.mineralPct).toBeGreaterThan(1);
    expect(two.result).toEqual(firstOfTwo.result);
    for (const kind of ['reference', 'mineral']) {
      const a = await readFile(join(dir, `two-first_${kind}.png`)), b = await readFile(join(dir, `two-again_${kind}.png`));
      expect(a.equals(b), kind).toBe(true);
    }
    expect(one.result.mineralPct).not.toBeCloseTo(two.result.mineralPct!, 3);
  });
});
