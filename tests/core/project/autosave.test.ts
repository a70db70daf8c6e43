import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageId } from '../../../src/common/api.js';
import { AppError } from '../../../src/common/errors.js';
import { createAutosaver, type AutosaveTarget } from '../../../src/project/autosave.js';
import { createProject } from '../../../src/project/store.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { fakeRoi, seqOf, writeImage } from './helpers.js';

const A = 'aaaaaaaaaaaaaaaa' as ImageId;
const B = 'bbbbbbbbbbbbbbbb' as ImageId;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A fake store that records writes, takes `writeMs` per write and fails while `failing` is set. */
function fakeTarget(writeMs = 5) {
  const log: string[] = [];
  const active = new Set<string>();
  let overlaps = 0;
  const state = { failing: false };
  const write = async (key: string, what: string): Promise<void> => {
    if (active.has(key)) overlaps++;
    active.add(key);
    await sleep(writeMs);
    active.delete(key);
    if (state.failing) throw new AppError('OUTPUT_UNWRITABLE', `disk full (${key})`);
    log.push(`${key}=${what}`);
  };
  const target: AutosaveTarget = {
    saveRois: (id, rois) => write(`rois:${id}`, rois.map((r) => seqOf([r])).join(',')),
    saveResult: (id, recipeId) => write(`result:${id}:${recipeId}`, 'r'),
    save: () => write('project', 'p'),
  };
  return { target, log, state, overlaps: () => overlaps };
}

const disposers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0).reverse()) await d();
});

describe('autosave', () => {
  it('coalesces per file and writes in the order files were first changed', async () => {
    const f = fakeTarget();
    const errors: string[] = [];
    const saver = createAutosaver(f.target, { debounceMs: 20, onError: (e) => errors.push(e.userMessage) });
    disposers.push(() => saver.dispose());
    saver.saveRois(A, [fakeRoi(1)]);
    saver.saveRois(B, [fakeRoi(10)]);
    saver.saveRois(A, [fakeRoi(1), fakeRoi(2)]);
    saver.saveProject();
    expect(saver.pending).toBe(3);
    await sleep(80);
    expect(f.log).toEqual([`rois:${A}=1,2`, `rois:${B}=10`, 'project=p']);
    expect(saver.pending).toBe(0);
    expect(errors).toEqual([]);
  });

  it('never writes the same file twice at once, and flush() waits for everything queued', async () => {
    const f = fakeTarget(15);
    const saved: number[] = [];
    const saver = createAutosaver(f.target, { debounceMs: 0, onError: () => undefined, onSaved: (_k, t) => saved.push(t) });
    disposers.push(() => saver.dispose());
    let last = 0;
    for (let i = 1; i <= 20; i++) {
      last = saver.saveRois(A, [fakeRoi(i)]);
      await sleep(i % 3);
    }
    expect(await saver.flush()).toBe(true);
    expect(f.overlaps()).toBe(0);
    expect(f.log.at(-1)).toBe(`rois:${A}=20`);
    expect(saved.at(-1)).toBe(last);
    expect(f.log.length).toBeLessThan(20); // coalesced
  });

  it('debounces but does not postpone forever while changes keep coming', async () => {
    const f = fakeTarget(1);
    const saver = createAutosaver(f.target, { debounceMs: 30, maxDelayMs: 60, onError: () => undefined });
    disposers.push(() => saver.dispose());
    const t0 = Date.now();
    while (Date.now() - t0 < 200) {
      saver.saveRois(A, [fakeRoi(Date.now() - t0)]);
      await sleep(10);
    }
    expect(f.log.length).toBeGreaterThanOrEqual(2);
  });

  it('reports failures through the callback, retries them, and never rejects', async () => {
    const f = fakeTarget(1);
    const errors: string[] = [];
    const saver = createAutosaver(f.target, { debounceMs: 5, onError: (e, key) => errors.push(`${e.code} ${key}`) });
    disposers.push(() => saver.dispose());
    f.state.failing = true;
    saver.saveRois(A, [fakeRoi(1)]);
    expect(await saver.flush()).toBe(false);
    expect(errors).toEqual([`OUTPUT_UNWRITABLE rois:${A}`]);
    expect(saver.pending).toBe(1); // kept for retry
    f.state.failing = false;
    await sleep(700); // first retry after max(debounceMs, 500) ms
    expect(f.log).toEqual([`rois:${A}=1`]);
    expect(saver.pending).toBe(0);
  });

  it('a newer change replaces a failed one; callbacks that throw do not break the queue', async () => {
    const f = fakeTarget(1);
    const saver = createAutosaver(f.target, {
      debounceMs: 5,
      onError: () => {
        throw new Error('UI bug');
      },
      onSaved: () => {
        throw new Error('UI bug');
      },
    });
    disposers.push(() => saver.dispose());
    f.state.failing = true;
    saver.saveRois(A, [fakeRoi(1)]);
    expect(await saver.flush()).toBe(false);
    f.state.failing = false;
    saver.saveRois(A, [fakeRoi(2)]);
    expect(await saver.flush()).toBe(true);
    expect(f.log).toEqual([`rois:${A}=2`]);
  });

  it('writes through a real store', async () => {
    const root = await makeTempDir('calciquant-autosave-');
    disposers.push(() => removeTempDir(root));
    const store = await createProject(path.join(root, 'P'), 'P');
    disposers.push(() => store.close());
    const id = (await store.addImages([await writeImage(root, 'a.png', 1)])).added[0]!.id;
    const saver = createAutosaver(store, { debounceMs: 10, onError: (e) => expect.fail(e.userMessage) });
    for (let i = 1; i <= 5; i++) saver.saveRois(id, [fakeRoi(i)]);
    expect(await saver.dispose()).toBe(true);
    expect((await store.loadRois(id)).value).toEqual([fakeRoi(5)]);
  });
});
