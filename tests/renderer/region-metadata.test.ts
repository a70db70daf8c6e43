/** Sample metadata of regions: keys, what the panel edits, picking, and a rename taking it along. */
import { describe, expect, it, vi } from 'vitest';
import type { ImageId, MetaPatch } from '../../src/common/api.js';
import { rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { Roi, RoiId } from '../../src/common/roi.js';
import { pickRegion } from '../../renderer/features/metadata/RegionPicker.js';
import { groupsOfImage, metaKey, regionName, toMetaMap } from '../../renderer/state/metadata-model.js';
import { selectMetaTargets, selectTargetsMeta } from '../../renderer/state/metadata-selectors.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, fakeCore } from './helpers/fake-client.js';

const roi = (id: string, o: Partial<Roi> = {}): Roi => ({ id: id as RoiId, role: 'include', tool: 'rectangle', geometry: rectangleGeometry(0, 0, 10, 10), ...o });
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('region metadata in the model', () => {
  it('keys regions by name beside images and wells; groups of an image include its regions’', () => {
    const id = '00000000000000aa' as ImageId;
    expect([metaKey(id), metaKey(id, 'B2'), metaKey(id, null, 'section 2')]).toEqual([id, `${id}#B2`, `${id}@section 2`]);
    expect(regionName({ id: 'r1', label: 'media' })).toBe('media');
    expect(regionName({ id: 'r1' })).toBe('r1');
    const map = toMetaMap([
      { imageId: id, well: null, region: null, meta: { group: 'control' } },
      { imageId: id, well: null, region: 'section 2', meta: { group: 'HP' } },
    ]);
    expect(Object.keys(map).sort()).toEqual([id, `${id}@section 2`]);
    expect(groupsOfImage(map, id)).toEqual(['control', 'HP']);
  });

  it('a click picks one region (again: none), Ctrl-click adds and removes', () => {
    expect(pickRegion([], 'a', false)).toEqual(['a']);
    expect(pickRegion(['a'], 'a', false)).toEqual([]);
    expect(pickRegion(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(pickRegion(['a', 'b'], 'a', true)).toEqual(['b']);
  });
});

describe('region metadata in the store', () => {
  function setup() {
    const images = [entry('slide.jpg')];
    const core = fakeCore(images);
    const saved: { targets: unknown; patch: MetaPatch }[] = [];
    Object.assign(core, {
      loadRois: vi.fn(async () => [roi('r1', { label: 'section 1' }), roi('r2', { label: 'section 2' }), roi('x', { role: 'exclude' })]),
      saveRois: vi.fn(async () => undefined),
      setMetadata: vi.fn(async (targets: unknown, patch: MetaPatch) => void saved.push({ targets, patch })),
    });
    const store = createAppStore(fakeClient(core));
    store.getState().setImages(images);
    return { store, saved, id: images[0]!.id };
  }

  it('the panel edits the picked regions of the current image, only while the image still has them', async () => {
    const { store, saved, id } = setup();
    store.getState().setCurrent(id);
    await store.getState().loadRois(id);
    expect(selectMetaTargets(store.getState()).kind).toBe('images');
    store.getState().selectRegions(id, ['section 2', 'x']); // 'x' is an exclude region: not a target
    const t = selectMetaTargets(store.getState());
    expect(t).toMatchObject({ kind: 'regions', targets: [{ imageId: id, region: 'section 2' }] });
    await store.getState().setMeta(t.targets, { group: 'HP' });
    expect(saved[0]).toEqual({ targets: [{ imageId: id, well: null, region: 'section 2' }], patch: { group: 'HP' } });
    expect(selectTargetsMeta(store.getState()).group).toEqual({ kind: 'same', value: 'HP' });
    store.getState().selectWells(id, ['A1']);
    expect(store.getState().regionSelection).toBeNull();
  });

  it('renaming a region takes its metadata to the new name; undo brings it back', async () => {
    const { store, saved, id } = setup();
    store.getState().setCurrent(id);
    await store.getState().loadRois(id);
    await store.getState().setMeta([{ imageId: id, region: 'section 2' }], { group: 'HP', animal: 'M9' });
    store.getState().editRoi('r2' as RoiId, { label: 'plaque' });
    await flush();
    const m = store.getState().metaByKey;
    expect(m[metaKey(id, null, 'plaque')]).toEqual({ group: 'HP', animal: 'M9' });
    expect(m[metaKey(id, null, 'section 2')]).toBeUndefined();
    store.getState().undoRois();
    await flush();
    expect(store.getState().metaByKey[metaKey(id, null, 'section 2')]).toEqual({ group: 'HP', animal: 'M9' });
    expect(saved.length).toBe(5);
  });
});
