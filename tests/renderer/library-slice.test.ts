import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../renderer/state/store.js';
import { selectStatusMap, selectVisibleIds, selectVisibleImages } from '../../renderer/state/selectors.js';
import { entry, fakeClient, fakeCore, row } from './helpers/fake-client.js';

const imgs = () => [entry('b/img10.jpg'), entry('a/img2.jpg'), entry('c/img1.jpg')];

describe('library slice', () => {
  it('opens the bundled samples when the library is empty at first start', async () => {
    const samples = imgs();
    const client = fakeClient(fakeCore(samples));
    const store = createAppStore(client);
    await store.getState().loadLibrary();
    expect(client.core.openSamples).toHaveBeenCalledTimes(1);
    const s = store.getState();
    expect(s.images).toHaveLength(3);
    expect(s.libraryLoaded).toBe(true);
    expect(s.currentId).toBe(samples[0]!.id);
    expect(s.selectedIds).toEqual([samples[0]!.id]);
  });

  it('keeps an existing library instead of adding the samples', async () => {
    const core = fakeCore();
    core.listImages.mockResolvedValue(imgs());
    const store = createAppStore(fakeClient(core));
    await store.getState().loadLibrary();
    expect(core.openSamples).not.toHaveBeenCalled();
    expect(store.getState().images).toHaveLength(3);
  });

  it('selects with click, Ctrl-click and Shift-click in the visible (sorted) order', () => {
    const store = createAppStore(fakeClient());
    const [b, a, c] = imgs();
    store.getState().setImages([b!, a!, c!]);
    // natural name order: a/img2, b/img10, c/img1
    expect(selectVisibleImages(store.getState()).map((i) => i.displayName)).toEqual(['a/img2.jpg', 'b/img10.jpg', 'c/img1.jpg']);
    store.getState().select(a!.id, 'only');
    store.getState().select(c!.id, 'range');
    expect(store.getState().selectedIds).toEqual([a!.id, b!.id, c!.id]);
    store.getState().select(b!.id, 'toggle');
    expect(store.getState().selectedIds).toEqual([a!.id, c!.id]);
    // Ctrl- and Shift-click keep the image shown; a plain click opens another
    expect(store.getState().currentId).toBe(a!.id);
    store.getState().select(b!.id, 'only');
    expect(store.getState().currentId).toBe(b!.id);
  });

  it('filters by name and steps through the visible images (J/K)', () => {
    const store = createAppStore(fakeClient());
    const list = imgs();
    store.getState().setImages(list);
    store.getState().setFilter('IMG1');
    expect(selectVisibleImages(store.getState()).map((i) => i.displayName)).toEqual(['b/img10.jpg', 'c/img1.jpg']);
    store.getState().setCurrent(list[0]!.id);
    store.getState().stepCurrent(1);
    expect(store.getState().currentId).toBe(list[2]!.id);
    store.getState().stepCurrent(1);
    expect(store.getState().currentId).toBe(list[2]!.id);
  });

  it('sorts by percentage and by status', () => {
    const store = createAppStore(fakeClient());
    const [x, y, z] = imgs();
    store.getState().setImages([x!, y!, z!]);
    store.setState({
      latestByImage: {
        [x!.id]: { imageId: x!.id, result: row('x', { mineralPct: 5 }), overlayPath: null },
        [y!.id]: { imageId: y!.id, result: row('y', { mineralPct: 30 }), overlayPath: null },
        [z!.id]: { imageId: z!.id, result: row('z', { status: 'error', errorCode: 'IMAGE_UNREADABLE', error: 'bad', mineralPct: null }), overlayPath: null },
      },
    });
    store.getState().setSort('pct');
    expect(store.getState().sortDesc).toBe(true);
    expect(selectVisibleIds(store.getState())).toEqual([y!.id, x!.id, z!.id]);
    store.getState().setSort('status');
    expect(selectVisibleIds(store.getState())[0]).toBe(z!.id);
    expect(selectStatusMap(store.getState()).get(z!.id)).toEqual({ kind: 'error', message: 'bad', code: 'IMAGE_UNREADABLE' });
  });

  it('memoized selectors return the same array while their inputs are unchanged', () => {
    const store = createAppStore(fakeClient());
    store.getState().setImages(imgs());
    const a = selectVisibleImages(store.getState());
    store.getState().setOverlayOpacity(0.3);
    expect(selectVisibleImages(store.getState())).toBe(a);
  });

  it('opens paths chosen in a dialog and reports unreadable files', async () => {
    const core = fakeCore();
    const bad = entry('broken.tif', { error: { code: 'IMAGE_UNREADABLE', userMessage: '“broken.tif” could not be opened.' } });
    core.openImages.mockResolvedValue({ images: [bad], skipped: [{ path: '/d/notes.txt', reason: 'not an image' }] });
    const client = fakeClient(core);
    client.pickPaths = async () => ['/d'];
    const store = createAppStore(client);
    await store.getState().openWithDialog('folder');
    expect(core.openImages).toHaveBeenCalledWith(['/d']);
    const s = store.getState();
    expect(s.skipped).toHaveLength(1);
    expect(s.toasts.map((t) => t.kind)).toEqual(['info', 'info']);
    expect(selectStatusMap(s).get(bad.id)).toMatchObject({ kind: 'error', message: '“broken.tif” could not be opened.' });
  });

  it('shows a core error as a toast with its userMessage', async () => {
    const core = fakeCore();
    core.openImages.mockRejectedValue({ code: 'INPUT_INVALID', userMessage: 'That folder does not exist.' });
    const store = createAppStore(fakeClient(core));
    await store.getState().openPaths(['/nope']);
    expect(store.getState().toasts.at(-1)).toMatchObject({ kind: 'error', text: 'That folder does not exist.' });
    expect(store.getState().libraryBusy).toBe(false);
  });
});
