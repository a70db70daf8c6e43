import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreviewRequest, PreviewResult } from '../../src/common/api.js';
import { patchParams } from '../../renderer/state/recipe-model.js';
import { createAppStore } from '../../renderer/state/store.js';
import { DRAG_DEBOUNCE_MS, setPreviewDragging, useLivePreview } from '../../renderer/state/use-live-preview.js';
import { entry, fakeClient, fakeCore, PRESETS, row } from './helpers/fake-client.js';
import { mount, settle } from './helpers/render.js';

function Host() {
  useLivePreview();
  return null;
}

function setup() {
  const images = [entry('a.jpg', { widthPx: 4000, heightPx: 3000 }), entry('b.jpg', { widthPx: 4000, heightPx: 3000 })];
  const core = fakeCore(images);
  const calls: { req: PreviewRequest; resolve(): void }[] = [];
  core.previewImage.mockImplementation(
    (req: PreviewRequest) =>
      new Promise<PreviewResult>((resolve) =>
        calls.push({
          req,
          resolve: () => resolve({ imageId: req.imageId as never, quality: req.quality, result: row('x', { mineralPct: calls.length }), overlayPath: `/res/overlay/p${calls.length}.png`, regionRows: [], overlayWidthPx: 1, overlayHeightPx: 1, elapsedMs: 5 }),
        }),
      ),
  );
  const client = fakeClient(core);
  const store = createAppStore(client);
  store.setState({ appInfo: { version: '1', presets: PRESETS, stainModels: [], workers: 2 } });
  store.getState().choosePreset('alizarin');
  store.getState().setImages(images);
  store.getState().setCurrent(images[0]!.id);
  return { images, calls, client, store };
}

const setContrast = (store: ReturnType<typeof setup>['store'], v: number) =>
  act(() => store.getState().editRecipe((d) => patchParams(d, 'threshold', { method: 'local-contrast', minContrastOd: v })));

describe('live preview', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('shows a fast then a full preview of the current image', async () => {
    const { calls, client, store, images } = setup();
    const m = await mount(<Host />, client, store);
    expect(calls.map((c) => c.req.quality)).toEqual(['fast']);
    expect(calls[0]!.req).toMatchObject({ imageId: images[0]!.id, recipe: { preset: 'alizarin' } });
    calls[0]!.resolve();
    await settle();
    expect(store.getState().preview?.quality).toBe('fast');
    expect(calls.map((c) => c.req.quality)).toEqual(['fast', 'full']);
    calls[1]!.resolve();
    await settle();
    expect(store.getState().preview).toMatchObject({ quality: 'full', overlayPath: '/res/overlay/p2.png' });
    expect(store.getState().previewPending).toBe(false);
    await m.unmount();
  });

  it('while a slider is dragged: fast previews debounced ~100 ms with the last value; full on release', async () => {
    const { calls, client, store } = setup();
    const m = await mount(<Host />, client, store);
    calls[0]!.resolve();
    await settle();
    calls[1]!.resolve();
    await settle();
    setPreviewDragging(true);
    await setContrast(store, 0.2);
    vi.advanceTimersByTime(40);
    await setContrast(store, 0.25);
    vi.advanceTimersByTime(40);
    await setContrast(store, 0.3);
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(DRAG_DEBOUNCE_MS);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.req).toMatchObject({ quality: 'fast', recipe: { document: { steps: expect.arrayContaining([{ op: 'threshold', params: { method: 'local-contrast', minContrastOd: 0.3, edgeRadiusPx: 3 } }]) } } });
    setPreviewDragging(false);
    calls[2]!.resolve();
    await settle();
    expect(calls.map((c) => c.req.quality)).toEqual(['fast', 'full', 'fast', 'full']);
    await m.unmount();
  });

  it('a late answer for the previous image is not shown on the new one', async () => {
    const { calls, client, store, images } = setup();
    const m = await mount(<Host />, client, store);
    await act(() => store.getState().setCurrent(images[1]!.id));
    calls[0]!.resolve();
    await settle();
    expect(store.getState().preview).toBeNull();
    const forB = calls.filter((c) => c.req.imageId === images[1]!.id);
    expect(forB.map((c) => c.req.quality)).toEqual(['fast']);
    forB[0]!.resolve();
    await settle();
    expect(store.getState().preview?.imageId).toBe(images[1]!.id);
    expect(calls.filter((c) => c.req.imageId === images[1]!.id).map((c) => c.req.quality)).toEqual(['fast', 'full']);
    await m.unmount();
  });

  it('goes straight to full resolution for images that fit the fast copy', async () => {
    const { calls, client, store, images } = setup();
    store.getState().setImages([{ ...images[0]!, widthPx: 1024, heightPx: 768 }]);
    const m = await mount(<Host />, client, store);
    expect(calls.map((c) => c.req.quality)).toEqual(['full']);
    await m.unmount();
  });

  it('shows the core’s message when the preview fails', async () => {
    const { calls, client, store, images } = setup();
    client.core.previewImage.mockRejectedValueOnce({ code: 'CALIBRATION_MISSING', userMessage: 'Give the pixel size.' });
    calls.length = 0;
    const m = await mount(<Host />, client, store);
    await settle();
    expect(store.getState().previewError).toEqual({ imageId: images[0]!.id, error: { code: 'CALIBRATION_MISSING', userMessage: 'Give the pixel size.' } });
    await m.unmount();
  });
});
