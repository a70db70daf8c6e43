/** Hand-set plate wells: every edit can be undone and redone; Ctrl+Z goes to what was edited last. */
import { describe, expect, it, vi } from 'vitest';
import type { ImageId, PlateWellView } from '../../src/common/api.js';
import { rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { RoiId } from '../../src/common/roi.js';
import { createAppStore } from '../../renderer/state/store.js';
import { redoLast, undoLast } from '../../renderer/state/undo-route.js';
import { entry, fakeClient, fakeCore } from './helpers/fake-client.js';

const well = (id: string, cx: number): PlateWellView => ({ id, cx, cy: 50, radiusPx: 20 });

function setup() {
  const images = [entry('plate.png')];
  const core = fakeCore(images);
  let stored: readonly PlateWellView[] | null = null;
  Object.assign(core, {
    getPlateWells: vi.fn(async () => stored),
    setPlateWells: vi.fn(async (_id: ImageId, w: readonly PlateWellView[] | null) => void (stored = w)),
    loadRois: vi.fn(async () => []),
    saveRois: vi.fn(async () => undefined),
  });
  const store = createAppStore(fakeClient(core));
  store.getState().setImages(images);
  const id = images[0]!.id;
  store.getState().setCurrent(id);
  return { store, id, stored: () => stored };
}

describe('well edits', () => {
  it('undo and redo each edit, back to detection (null) at the start', async () => {
    const { store, id, stored } = setup();
    await store.getState().loadHandWells(id);
    await store.getState().saveHandWells(id, [well('A1', 10)]);
    await store.getState().saveHandWells(id, [well('A1', 30)]);
    expect(stored()?.[0]?.cx).toBe(30);
    await store.getState().undoWells(id);
    expect(stored()?.[0]?.cx).toBe(10);
    await store.getState().undoWells(id);
    expect(stored()).toBeNull();
    await store.getState().undoWells(id); // nothing left: no change
    expect(stored()).toBeNull();
    await store.getState().redoWells(id);
    await store.getState().redoWells(id);
    expect(stored()?.[0]?.cx).toBe(30);
    await store.getState().saveHandWells(id, [well('A1', 50)]);
    expect(store.getState().wellRedo[id]).toEqual([]); // a new edit drops the redo steps
  });

  it('Ctrl+Z undoes the wells when they were edited last, else the regions', async () => {
    const { store, id, stored } = setup();
    await store.getState().loadRois(id);
    store.getState().commitRoiPatch({ added: [{ id: 'r1' as RoiId, role: 'include', tool: 'rectangle', geometry: rectangleGeometry(0, 0, 9, 9) }], updated: [], removed: [] });
    await store.getState().saveHandWells(id, [well('A1', 10)]);
    undoLast(store.getState());
    await vi.waitFor(() => expect(stored()).toBeNull());
    expect(store.getState().rois).toHaveLength(1);
    undoLast(store.getState()); // no well steps left: the region goes
    expect(store.getState().rois).toHaveLength(0);
    redoLast(store.getState()); // the region was touched last: it comes back
    expect(store.getState().rois).toHaveLength(1);
    expect(stored()).toBeNull();
    await store.getState().redoWells(id);
    expect(stored()?.[0]?.cx).toBe(10);
    undoLast(store.getState()); // the wells were touched last
    await vi.waitFor(() => expect(stored()).toBeNull());
    expect(store.getState().rois).toHaveLength(1);
  });
});
