/** Regions in the store: patches, undo / redo (≥ 100 steps), saving through saveRois, loading per image. */
import { describe, expect, it, vi } from 'vitest';
import type { ImageId } from '../../src/common/api.js';
import { rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { Roi, RoiId } from '../../src/common/roi.js';
import { createAppStore } from '../../renderer/state/store.js';
import { createRoiSaveQueue } from '../../renderer/state/roi-save-queue.js';
import { applyPatch, EMPTY_HISTORY, HISTORY_LIMIT, invertPatch, recordPatch, takeRedo, takeUndo, type RoiHistory, type RoiPatch } from '../../renderer/tools/roi-patch.js';
import { entry, fakeClient, fakeCore } from './helpers/fake-client.js';

const roi = (i: number, o: Partial<Roi> = {}): Roi => ({ id: `r${i}` as RoiId, role: 'include', tool: 'rectangle', geometry: rectangleGeometry(i, i, i + 10, i + 10), ...o });
const add = (r: Roi): RoiPatch => ({ added: [r], updated: [], removed: [] });
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('ROI patches and history', () => {
  it('a patch and its inverse cancel out', () => {
    const a = roi(1), b = roi(2), b2 = { ...b, label: 'media' }, c = roi(3);
    const p: RoiPatch = { added: [c], updated: [{ before: b, after: b2 }], removed: [a] };
    const after = applyPatch([a, b], p);
    expect(after).toEqual([b2, c]);
    expect(applyPatch(after, invertPatch(p))).toEqual([b, a]);
  });

  it('keeps at least 100 steps (200), undoes and redoes them in order', () => {
    let h: RoiHistory = EMPTY_HISTORY;
    let rois: Roi[] = [];
    for (let i = 0; i < 150; i++) {
      h = recordPatch(h, add(roi(i)));
      rois = applyPatch(rois, add(roi(i)));
    }
    for (let i = 149; i >= 0; i--) {
      const u = takeUndo(h)!;
      rois = applyPatch(rois, u.patch);
      h = u.history;
      expect(rois).toHaveLength(i);
    }
    expect(takeUndo(h)).toBeNull();
    for (let i = 0; i < 150; i++) {
      const r = takeRedo(h)!;
      rois = applyPatch(rois, r.patch);
      h = r.history;
    }
    expect(rois.map((r) => r.id)).toEqual(Array.from({ length: 150 }, (_, i) => `r${i}`));
    for (let i = 0; i < 300; i++) h = recordPatch(h, add(roi(1000 + i)));
    expect(h.undo).toHaveLength(HISTORY_LIMIT);
    expect(HISTORY_LIMIT).toBeGreaterThanOrEqual(100);
    expect(h.undo[0]!.added[0]!.id).toBe('r1100');
  });

  it('a new gesture clears the redo stack; empty patches are not recorded', () => {
    let h = recordPatch(EMPTY_HISTORY, add(roi(1)));
    h = takeUndo(h)!.history;
    expect(h.redo).toHaveLength(1);
    expect(recordPatch(h, { added: [], updated: [], removed: [] })).toBe(h);
    expect(recordPatch(h, add(roi(2))).redo).toHaveLength(0);
  });
});

function setup() {
  const images = [entry('a.jpg'), entry('b.jpg')];
  const core = fakeCore(images);
  const stored = new Map<string, readonly Roi[]>();
  Object.assign(core, {
    loadRois: vi.fn(async (id: ImageId) => stored.get(id) ?? []),
    saveRois: vi.fn(async (id: ImageId, rois: readonly Roi[]) => void stored.set(id, rois)),
  });
  const client = fakeClient(core);
  const store = createAppStore(client);
  store.getState().setImages(images);
  return { store, core, stored, images, a: images[0]!.id, b: images[1]!.id };
}

describe('ROI slice', () => {
  it('120 gestures, 120 undos, 120 redos: every state is saved and the last one is what the core holds', async () => {
    const { store, core, stored, a } = setup();
    await store.getState().loadRois(a);
    for (let i = 0; i < 120; i++) store.getState().commitRoiPatch(add(roi(i)));
    await flush();
    expect(stored.get(a)).toHaveLength(120);
    for (let i = 0; i < 120; i++) store.getState().undoRois();
    expect(store.getState().rois).toEqual([]);
    await flush();
    expect(stored.get(a)).toEqual([]);
    for (let i = 0; i < 120; i++) store.getState().redoRois();
    await flush();
    expect(store.getState().rois).toHaveLength(120);
    expect(stored.get(a)).toEqual(store.getState().rois);
    // Saves do not pile up: one in flight, then only the newest list.
    expect(core.saveRois.mock.calls.length).toBeLessThan(20);
    expect(store.getState().roiSave.kind).toBe('saved');
  });

  it('keeps a history per image and shows unsaved regions when coming back to an image', async () => {
    const { store, stored, a, b } = setup();
    stored.set(b, [roi(7)]);
    await store.getState().loadRois(a);
    store.getState().commitRoiPatch(add(roi(1)), 'r1' as RoiId);
    expect(store.getState().selectedRoiId).toBe('r1');
    await store.getState().loadRois(b);
    expect(store.getState().rois.map((r) => r.id)).toEqual(['r7']);
    store.getState().undoRois(); // nothing to undo on b
    expect(store.getState().rois).toHaveLength(1);
    await flush();
    await store.getState().loadRois(a);
    expect(store.getState().rois.map((r) => r.id)).toEqual(['r1']);
    store.getState().undoRois();
    expect(store.getState().rois).toEqual([]);
  });

  it('edits (rename, role, hide) and deletes are undoable steps; a region made include gets a label', async () => {
    const { store, stored, a } = setup();
    await store.getState().loadRois(a);
    store.getState().commitRoiPatch(add(roi(1, { role: 'exclude' })));
    store.getState().editRoi('r1' as RoiId, { role: 'include' });
    expect(store.getState().rois[0]).toMatchObject({ role: 'include', label: 'Region 1' });
    store.getState().editRoi('r1' as RoiId, { label: '  media ' });
    store.getState().editRoi('r1' as RoiId, { hidden: true });
    store.getState().editRoi('r1' as RoiId, { hidden: true }); // no change: no step
    expect(store.getState().rois[0]).toMatchObject({ label: 'media', hidden: true });
    store.getState().selectRoi('r1' as RoiId);
    store.getState().deleteRoi();
    expect(store.getState().rois).toEqual([]);
    expect(store.getState().selectedRoiId).toBeNull();
    expect(store.getState().roiHistory[a]!.undo).toHaveLength(5);
    store.getState().undoRois();
    expect(store.getState().rois[0]).toMatchObject({ label: 'media', hidden: true });
    store.getState().undoRois();
    expect(store.getState().rois[0]!.hidden).toBeUndefined();
    await flush();
    expect(stored.get(a)![0]!.label).toBe('media');
  });

  it('moves the ROI revision on (live preview) only when the current image is saved', async () => {
    const { store, a } = setup();
    store.getState().setCurrent(a);
    await store.getState().loadRois(a);
    const rev = store.getState().roiRevision;
    store.getState().commitRoiPatch(add(roi(1)));
    expect(store.getState().roiRevision).toBe(rev);
    await flush();
    expect(store.getState().roiRevision).toBe(rev + 1);
  });

  it('a failed save is reported, kept locally and retried with the next change', async () => {
    const { store, core, a } = setup();
    await store.getState().loadRois(a);
    core.saveRois.mockRejectedValueOnce({ code: 'PROJECT_LOCKED', userMessage: 'The disk is full.' });
    store.getState().commitRoiPatch(add(roi(1)));
    await flush();
    expect(store.getState().roiSave).toEqual({ kind: 'error', message: 'The disk is full.' });
    expect(store.getState().toasts.at(-1)?.text).toMatch(/disk is full/);
    store.getState().commitRoiPatch(add(roi(2)));
    await flush();
    expect(core.saveRois.mock.calls.at(-1)![1]).toHaveLength(2);
    expect(store.getState().roiSave.kind).toBe('saved');
  });
});

describe('save queue', () => {
  it('one save per image in flight, the newest list next; flush waits for all', async () => {
    const calls: { id: string; n: number; done(): void }[] = [];
    const q = createRoiSaveQueue({
      save: (id, rois) => new Promise<void>((done) => calls.push({ id, n: rois.length, done })),
      onSaved: () => {},
      onError: () => {},
      onBusyChange: () => {},
    });
    const A = 'a' as ImageId;
    q.save(A, [roi(1)]);
    q.save(A, [roi(1), roi(2)]);
    q.save(A, [roi(1), roi(2), roi(3)]);
    expect(calls.map((c) => c.n)).toEqual([1]);
    expect(q.unsaved(A)).toHaveLength(3);
    let flushed = false;
    void q.flush(A).then(() => (flushed = true));
    calls[0]!.done();
    await flush();
    expect(calls.map((c) => c.n)).toEqual([1, 3]);
    expect(flushed).toBe(false);
    calls[1]!.done();
    await flush();
    expect(flushed).toBe(true);
    expect(q.unsaved(A)).toBeNull();
  });
});
