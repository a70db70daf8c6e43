/** The region list (rename, role, hide, delete, selection in sync) and the annotation shortcuts. */
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ImageId } from '../../src/common/api.js';
import { rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { Roi, RoiId } from '../../src/common/roi.js';
import { RegionPanel } from '../../renderer/features/annotate/RegionPanel.js';
import { ToolPalette } from '../../renderer/features/annotate/ToolPalette.js';
import { findShortcut, runShortcut } from '../../renderer/features/app/shortcuts.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, fakeCore, row } from './helpers/fake-client.js';
import { click, mount, settle } from './helpers/render.js';

const roi = (i: number, o: Partial<Roi> = {}): Roi => ({ id: `r${i}` as RoiId, role: 'include', tool: 'polygon', label: `Region ${i}`, geometry: rectangleGeometry(0, 0, 10 * i, 10), ...o });

async function setup(rois: Roi[]) {
  const img = entry('a.jpg');
  const core = fakeCore([img]);
  Object.assign(core, { loadRois: vi.fn(async () => rois), saveRois: vi.fn(async () => undefined) });
  const client = fakeClient(core);
  const store = createAppStore(client);
  store.getState().setImages([img]);
  store.getState().setCurrent(img.id);
  await store.getState().loadRois(img.id);
  return { store, client, core, id: img.id as ImageId };
}

const items = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('.region-item')];

describe('region list', () => {
  it('lists the regions with their live-preview percentage and area; a click selects (and the store selection shows)', async () => {
    const { store, client, id } = await setup([roi(1), roi(2, { role: 'exclude', label: undefined })]);
    store.getState().setPreview({ imageId: id, quality: 'full', result: row('a.jpg'), regionRows: [row('a.jpg', { region: 'Region 1', mineralPct: 12.345 })], overlayPath: '/res/overlay/x.png', overlayWidthPx: 1, overlayHeightPx: 1, elapsedMs: 1 });
    const m = await mount(<RegionPanel />, client, store);
    const [a, b] = items(m.container);
    expect(a!.querySelector('[data-testid=region-pct]')!.textContent).toBe('12.35 %');
    expect(a!.textContent).toContain('100 px²');
    expect(b!.textContent).toContain('excluded');
    expect((b!.querySelector('.ri-label') as HTMLInputElement).placeholder).toBe('Exclude 1');
    expect(m.container.querySelector('[data-testid=regions-reference]')!.textContent).toBe('Reference = 1 include region − 1 exclude');
    await click(b!);
    expect(store.getState().selectedRoiId).toBe('r2');
    expect(items(m.container)[1]!.getAttribute('aria-selected')).toBe('true');
    await act(async () => store.getState().selectRoi('r1' as RoiId));
    expect(items(m.container)[0]!.getAttribute('aria-selected')).toBe('true');
    await m.unmount();
  });

  it('renames on blur, switches role, hides and deletes — each one undo step, each saved', async () => {
    const { store, client, core } = await setup([roi(1)]);
    const m = await mount(<RegionPanel />, client, store);
    const input = m.container.querySelector<HTMLInputElement>('.ri-label')!;
    await act(async () => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      set.call(input, 'media');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(store.getState().rois[0]!.label).toBe('Region 1'); // not while typing
    await act(async () => input.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(store.getState().rois[0]!.label).toBe('media');
    await click(m.container.querySelector('[data-testid=region-role]'));
    expect(store.getState().rois[0]!.role).toBe('exclude');
    await click(m.container.querySelector('[aria-label=Hide]'));
    expect(store.getState().rois[0]!.hidden).toBe(true);
    await click(m.container.querySelector('[aria-label="Delete region"]'));
    expect(store.getState().rois).toEqual([]);
    await settle();
    expect(core.saveRois).toHaveBeenCalled();
    expect(core.saveRois.mock.calls.at(-1)![1]).toEqual([]);
    expect(store.getState().roiHistory[store.getState().roiImageId!]!.undo).toHaveLength(4);
    await m.unmount();
  });

  it('tool palette: tools, role and undo state', async () => {
    const { store, client } = await setup([roi(1)]);
    const m = await mount(<ToolPalette />, client, store);
    const undo = m.container.querySelector<HTMLButtonElement>('[data-testid=roi-undo]')!;
    expect(undo.disabled).toBe(true);
    await click(m.container.querySelector('[data-tool=brush]'));
    expect(store.getState().activeTool).toBe('brush');
    expect(m.container.querySelector('[data-testid=brush-size]')).not.toBeNull();
    await click(m.container.querySelector('[data-role=exclude]'));
    expect(store.getState().drawRole).toBe('exclude');
    await act(async () => store.getState().deleteRoi('r1' as RoiId));
    expect(undo.disabled).toBe(false);
    await click(undo);
    expect(store.getState().rois).toHaveLength(1);
    await m.unmount();
  });
});

describe('annotation shortcuts', () => {
  const key = (k: string, o: { ctrl?: boolean; shift?: boolean } = {}) => ({ key: k, ctrlKey: !!o.ctrl, metaKey: false, shiftKey: !!o.shift, altKey: false });
  it('letters pick tools, I toggles the role, [ ] size the brush, Ctrl+Z / Ctrl+Shift+Z undo and redo (not in text fields)', async () => {
    const { store } = await setup([roi(1)]);
    const press = (k: string, o: { ctrl?: boolean; shift?: boolean } = {}) => {
      const sc = findShortcut(key(k, o), false);
      if (sc) runShortcut(sc, k.length === 1 ? k.toLowerCase() : k, store.getState());
      return sc;
    };
    for (const [k, tool] of [['p', 'polygon'], ['f', 'freehand'], ['r', 'rectangle'], ['e', 'ellipse'], ['b', 'brush'], ['x', 'eraser'], ['v', 'select']] as const) {
      press(k);
      expect(store.getState().activeTool).toBe(tool);
    }
    press('i');
    expect(store.getState().drawRole).toBe('exclude');
    const opacity = store.getState().overlayOpacity;
    press(']');
    expect(store.getState().overlayOpacity).toBeGreaterThan(opacity - 1e-9); // select tool: the overlay
    press('b');
    const size = store.getState().brushSizePx;
    press(']');
    expect(store.getState().brushSizePx).toBeGreaterThan(size);
    press('[');
    press('[');
    expect(store.getState().brushSizePx).toBeLessThan(size);
    store.getState().selectRoi('r1' as RoiId);
    press('Delete');
    expect(store.getState().rois).toEqual([]);
    press('z', { ctrl: true });
    expect(store.getState().rois).toHaveLength(1);
    press('Z', { ctrl: true, shift: true });
    expect(store.getState().rois).toEqual([]);
    expect(findShortcut(key('z', { ctrl: true }), true)).toBeNull(); // a text field keeps its own undo
    expect(findShortcut(key('Enter'), false)).toBeNull(); // help-only entries never match
  });
});
