import { describe, expect, it } from 'vitest';
import type { BatchId, BatchProgress, BatchSummary } from '../../src/common/api.js';
import { connectCoreEvents } from '../../renderer/state/core-events.js';
import { selectFailedRows, selectImageStatus, selectSortedRows } from '../../renderer/state/selectors.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, fakeCore, row } from './helpers/fake-client.js';

async function ready(n = 3) {
  const images = Array.from({ length: n }, (_, i) => entry(`img${i + 1}.jpg`));
  const core = fakeCore(images);
  const client = fakeClient(core);
  const store = createAppStore(client, { now: () => 1000 });
  const off = connectCoreEvents(client, store, { pollMs: 60_000, frameMs: 1 });
  await store.getState().loadAppInfo();
  await store.getState().loadLibrary();
  return { images, core, client, store, off };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

const progress = (batchId: string, done: number, total: number, o: Partial<BatchProgress> = {}): BatchProgress => ({
  batchId: batchId as BatchId, done, failed: 0, total, elapsedMs: done * 100, etaMs: done ? 100 * (total - done) : null, ...o,
});

describe('batch slice', () => {
  it('starts a batch on all images with the preset (unchanged) recipe', async () => {
    const { core, store, images } = await ready();
    await store.getState().runBatch([]);
    expect(core.startBatch).toHaveBeenCalledWith({ imageIds: images.map((i) => i.id), recipe: { preset: 'alizarin' } });
    expect(store.getState().batch).toMatchObject({ id: 'batch-1', state: 'running', total: 3 });
  });

  it('sends the edited document (not the preset) once the recipe was changed', async () => {
    const { core, store, images } = await ready();
    store.getState().editRecipe((d) => ({ ...d, name: 'Mine' }));
    await store.getState().runBatch([images[1]!.id]);
    expect(core.startBatch.mock.calls[0]![0]).toMatchObject({ imageIds: [images[1]!.id], recipe: { document: { name: 'Mine' }, source: 'alizarin preset' } });
  });

  it('refuses an invalid recipe with a message naming the step', async () => {
    const { core, store } = await ready();
    store.getState().editRecipe((d) => ({ ...d, steps: d.steps.map((s) => (s.op === 'threshold' ? { ...s, params: { method: 'fixed', valueOd: 99 } } : s)) as typeof d.steps }));
    await store.getState().runBatch([]);
    expect(core.startBatch).not.toHaveBeenCalled();
    expect(store.getState().toasts.at(-1)?.text).toMatch(/step 5 \(threshold\) valueOd/);
  });

  it('follows progress events (even those before startBatch answers), per-image states and the final summary', async () => {
    const { core, client, store, images } = await ready();
    let answer!: (id: BatchId) => void;
    core.startBatch.mockReturnValue(new Promise<BatchId>((r) => (answer = r)));
    const run = store.getState().runBatch([]);
    client.core.emit('batch:progress', progress('B', 0, 3));
    client.core.emit('batch:progress', progress('B', 1, 3, { imageId: images[0]!.id, result: row('img1.jpg', { mineralPct: 12.5 }) }));
    await tick();
    expect(store.getState().batch).toMatchObject({ id: 'B', state: 'running', done: 1 });
    // two workers: the next two images are running
    expect(selectImageStatus(images[0]!.id)(store.getState())).toEqual({ kind: 'done', pct: 12.5 });
    expect(selectImageStatus(images[1]!.id)(store.getState()).kind).toBe('running');
    answer('B' as BatchId);
    await run;
    client.core.emit('batch:progress', progress('other-window', 1, 9, { imageId: images[1]!.id, result: row('x') }));
    await tick();
    expect(store.getState().rows).toHaveLength(1);
    const summary: BatchSummary = {
      batchId: 'B' as BatchId, state: 'done', recipeId: 'alizarin-default', recipeHash: 'h',
      results: [row('img1.jpg', { mineralPct: 12.5 }), row('img2.jpg', { status: 'error', errorCode: 'IMAGE_UNREADABLE', error: '“img2.jpg” could not be opened.', mineralPct: null }), row('img3.jpg', { mineralPct: 3 })],
      imageIds: images.map((i) => i.id), overlayPaths: ['/res/overlay/a.png', null, '/res/overlay/c.png'],
    };
    client.core.emit('batch:done', summary);
    const s = store.getState();
    expect(s.batch).toMatchObject({ state: 'done', done: 3, failed: 1 });
    expect(s.rows.map((r) => r.result.image)).toEqual(['img1.jpg', 'img2.jpg', 'img3.jpg']);
    expect(selectFailedRows(s).map((r) => r.result.image)).toEqual(['img2.jpg']);
    expect(selectImageStatus(images[1]!.id)(s)).toMatchObject({ kind: 'error', code: 'IMAGE_UNREADABLE' });
    expect(s.toasts.at(-1)?.text).toMatch(/2 analysed, 1 not analysed/);
  });

  it('per-region rows follow their image row and stay with it when sorting', async () => {
    const { client, store, images } = await ready(2);
    await store.getState().runBatch([]);
    client.core.emit('batch:done', {
      batchId: 'batch-1' as BatchId, state: 'done', recipeId: 'r', recipeHash: 'h',
      results: [row('img1.jpg', { mineralPct: 20 }), row('img2.jpg', { mineralPct: 5 })],
      detailRows: [[row('img1.jpg', { region: 'media', mineralPct: 1 }), row('img1.jpg', { region: 'intima', mineralPct: 40 })], []],
      imageIds: images.map((i) => i.id), overlayPaths: [null, null],
    });
    const s = store.getState();
    expect(s.rows.map((r) => [r.result.image, r.result.region ?? null, !!r.detail])).toEqual([
      ['img1.jpg', null, false], ['img1.jpg', 'media', true], ['img1.jpg', 'intima', true], ['img2.jpg', null, false],
    ]);
    expect(s.batch).toMatchObject({ done: 2, total: 2 });
    expect(s.latestByImage[images[0]!.id]!.result.mineralPct).toBe(20);
    store.getState().sortResultsBy('mineral_pct');
    expect(selectSortedRows(store.getState()).map((r) => r.result.mineralPct)).toEqual([5, 20, 1, 40]);
  });

  it('per-region rows of a progress event are shown under the image row while running', async () => {
    const { client, store, images } = await ready(2);
    await store.getState().runBatch([]);
    client.core.emit('batch:progress', progress('batch-1', 1, 2, { imageId: images[0]!.id, result: row('img1.jpg'), regionRows: [row('img1.jpg', { region: 'intima' })] }));
    await tick();
    expect(store.getState().rows.map((r) => !!r.detail)).toEqual([false, true]);
    expect(store.getState().latestByImage[images[0]!.id]!.detail).toBeUndefined();
  });

  it('a burst of progress events (a cancelled batch) is one store update', async () => {
    const { client, store, images } = await ready(20);
    await store.getState().runBatch([]);
    let updates = 0;
    const unsub = store.subscribe(() => updates++);
    images.forEach((img, i) => client.core.emit('batch:progress', progress('batch-1', i + 1, 20, { imageId: img.id, result: row(img.displayName, { status: 'error', errorCode: 'CANCELLED' }) })));
    await tick();
    unsub();
    expect(updates).toBe(1);
    expect(store.getState().rows).toHaveLength(20);
    expect(store.getState().batch?.done).toBe(20);
  });

  it('cancels, marks cancelled rows, and re-runs only the failed images', async () => {
    const { core, client, store, images } = await ready();
    await store.getState().runBatch([]);
    await store.getState().cancelBatch();
    expect(core.cancelBatch).toHaveBeenCalledWith('batch-1');
    expect(store.getState().batch?.cancelRequested).toBe(true);
    client.core.emit('batch:done', {
      batchId: 'batch-1' as BatchId, state: 'cancelled', recipeId: 'r', recipeHash: 'h',
      results: [row('img1.jpg'), row('img2.jpg', { status: 'error', errorCode: 'CANCELLED', error: 'cancelled' }), row('img3.jpg', { status: 'error', errorCode: 'CANCELLED', error: 'cancelled' })],
      imageIds: images.map((i) => i.id), overlayPaths: [null, null, null],
    });
    expect(store.getState().batch?.state).toBe('cancelled');
    expect(selectImageStatus(images[2]!.id)(store.getState()).kind).toBe('cancelled');
    await store.getState().rerunFailed();
    expect(core.startBatch.mock.calls[1]![0].imageIds).toEqual([images[1]!.id, images[2]!.id]);
  });

  it('sorts result rows by a column (numbers numerically, empty cells last), and back', async () => {
    const { store } = await ready();
    store.setState({
      rows: [
        { imageId: null, result: row('a', { mineralPct: 9 }), overlayPath: null },
        { imageId: null, result: row('b', { mineralPct: null, status: 'error' }), overlayPath: null },
        { imageId: null, result: row('c', { mineralPct: 10 }), overlayPath: null },
      ],
    });
    store.getState().sortResultsBy('mineral_pct');
    expect(selectSortedRows(store.getState()).map((r) => r.result.image)).toEqual(['a', 'c', 'b']);
    store.getState().sortResultsBy('mineral_pct');
    expect(selectSortedRows(store.getState()).map((r) => r.result.image)).toEqual(['b', 'c', 'a']);
    store.getState().sortResultsBy('mineral_pct');
    expect(selectSortedRows(store.getState()).map((r) => r.result.image)).toEqual(['a', 'b', 'c']);
  });

  it('exports the CLI CSV through the client and a folder with overlays', async () => {
    const { core, client, store } = await ready();
    await store.getState().runBatch([]);
    store.setState({ batch: { ...store.getState().batch!, state: 'done' } });
    core.getResultsCsv.mockResolvedValue('image,status\nimg1.jpg,ok\n');
    await store.getState().exportCsv();
    expect(client.saveText).toHaveBeenCalledWith('results.csv', 'image,status\nimg1.jpg,ok\n', 'text/csv');
    (client.pickPaths as unknown as { mockResolvedValue(v: unknown): void }).mockResolvedValue(['/out']);
    await store.getState().exportFolder();
    expect(core.exportResults).toHaveBeenCalledWith({ batchId: 'batch-1', outDir: '/out', overlays: true });
    expect(store.getState().toasts.at(-1)?.text).toMatch(/2 overlays/);
  });

});
