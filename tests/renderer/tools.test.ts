/** The annotation tools as state machines, fed synthetic pointer events (no canvas, no viewer). */
import { describe, expect, it } from 'vitest';
import { differenceGeometry, geometryAreaPx, rectangleGeometry, unionGeometry } from '../../src/common/roi-geometry.js';
import type { Roi, RoiId, RoiRole } from '../../src/common/roi.js';
import { createTool, type Tool, type ToolContext, type ToolId, type ToolPointer } from '../../renderer/tools/index.js';
import { applyPatch, type RoiPatch } from '../../renderer/tools/roi-patch.js';
import { screenPoint, toImage, toScreen, type ScreenPx, type ViewTransform } from '../../renderer/viewer/coords.js';

/** 2 screen px per image px, image origin at (10, 20) on screen. */
const VIEW: ViewTransform = { scale: 2, offsetX: 10 as ScreenPx, offsetY: 20 as ScreenPx };

interface Harness {
  readonly tool: Tool;
  readonly ctx: ToolContext;
  readonly commits: { patch: RoiPatch; select: RoiId | null | undefined }[];
  rois(): readonly Roi[];
  selected(): RoiId | null;
  /** Pointer at an IMAGE position (converted to screen like the layer does). */
  at(x: number, y: number, o?: Partial<ToolPointer>): ToolPointer;
}

function harness(id: ToolId, o: { rois?: Roi[]; selectedId?: RoiId | null; role?: RoiRole; brushPx?: number } = {}): Harness {
  let rois: readonly Roi[] = o.rois ?? [];
  let selected = o.selectedId ?? null;
  let t = 0;
  const commits: Harness['commits'] = [];
  const ctx: ToolContext = {
    view: VIEW,
    get rois() {
      return rois;
    },
    get selectedId() {
      return selected;
    },
    role: o.role ?? 'include',
    brushDiameterPx: (o.brushPx ?? 20) as ScreenPx,
    imageSize: { widthPx: 1000, heightPx: 800 },
    commit(patch, select) {
      commits.push({ patch, select });
      rois = applyPatch(rois, patch);
      if (select !== undefined) selected = select;
    },
    select(id) {
      selected = id;
    },
  };
  return {
    tool: createTool(id),
    ctx,
    commits,
    rois: () => rois,
    selected: () => selected,
    at(x, y, p = {}) {
      const screen = toScreen(VIEW, [x, y]);
      t += p.timeMs ?? 1000;
      return { screen, image: toImage(VIEW, screen), button: 0, shiftKey: false, altKey: false, ...p, timeMs: t };
    },
  };
}

const click = (h: Harness, x: number, y: number, o: Partial<ToolPointer> = {}) => {
  const p = h.at(x, y, o);
  const taken = h.tool.down(p, h.ctx);
  h.tool.up(p, h.ctx);
  return taken;
};
const dragPath = (h: Harness, pts: [number, number][], o: Partial<ToolPointer> = {}) => {
  h.tool.down(h.at(pts[0]![0], pts[0]![1], o), h.ctx);
  for (const [x, y] of pts.slice(1, -1)) h.tool.move(h.at(x, y, o), h.ctx);
  const [x, y] = pts[pts.length - 1]!;
  h.tool.up(h.at(x, y, o), h.ctx);
};
const square = (id: string, x0: number, y0: number, x1: number, y1: number, role: RoiRole = 'include'): Roi => ({ id: id as RoiId, role, tool: 'rectangle', geometry: rectangleGeometry(x0, y0, x1, y1) });
const ringOf = (r: Roi) => r.geometry[0]![0]!.slice(0, -1).map((p) => [p[0], p[1]]);

describe('polygon tool', () => {
  it('click, click, click, Enter: one include region through those image points', () => {
    const h = harness('polygon');
    expect(h.tool.state).toBe('idle');
    click(h, 100, 100);
    expect(h.tool.state).toBe('drawing');
    click(h, 300, 100);
    click(h, 200, 250);
    expect(h.tool.sketch(h.ctx)[0]).toMatchObject({ kind: 'outline', points: [[100, 100], [300, 100], [200, 250]] });
    expect(h.tool.key('Enter', h.ctx)).toBe(true);
    expect(h.tool.state).toBe('idle');
    expect(h.commits).toHaveLength(1);
    const roi = h.rois()[0]!;
    expect(roi).toMatchObject({ role: 'include', tool: 'polygon', label: 'Region 1' });
    expect(ringOf(roi).sort()).toEqual([[100, 100], [200, 250], [300, 100]].sort());
    expect(h.selected()).toBe(roi.id);
  });

  it('a double click adds its point and closes; a click on the first point closes too', () => {
    const h = harness('polygon', { role: 'exclude' });
    click(h, 100, 100);
    click(h, 300, 100);
    click(h, 300, 300);
    click(h, 100, 300); // first press of the double click adds the point…
    click(h, 100.5, 300, { timeMs: 150 }); // …the second, 150 ms later, closes
    expect(h.tool.state).toBe('idle');
    expect(h.rois()).toHaveLength(1);
    expect(h.rois()[0]!.role).toBe('exclude');
    expect(geometryAreaPx(h.rois()[0]!.geometry)).toBeCloseTo(200 * 200, 6);

    const g = harness('polygon');
    click(g, 100, 100);
    click(g, 200, 100);
    click(g, 200, 200);
    click(g, 101, 101); // within 8 screen px of the first point
    expect(g.tool.state).toBe('idle');
    expect(ringOf(g.rois()[0]!)).toHaveLength(3);
  });

  it('Escape cancels the polygon in progress; Backspace removes the last point', () => {
    const h = harness('polygon');
    click(h, 100, 100);
    click(h, 300, 100);
    click(h, 200, 250);
    expect(h.tool.key('Backspace', h.ctx)).toBe(true);
    expect(h.tool.sketch(h.ctx)[0]).toMatchObject({ points: [[100, 100], [300, 100]] });
    expect(h.tool.key('Enter', h.ctx)).toBe(true); // too few points: stays open
    expect(h.tool.state).toBe('drawing');
    expect(h.tool.key('Escape', h.ctx)).toBe(true);
    expect(h.tool.state).toBe('idle');
    expect(h.tool.sketch(h.ctx)).toEqual([]);
    expect(h.commits).toHaveLength(0);
    expect(h.tool.key('Escape', h.ctx)).toBe(false); // idle: Escape is not the tool's
  });

  it('clips to the image and drops a polygon entirely outside it', () => {
    const h = harness('polygon');
    for (const [x, y] of [[-100, -100], [100, -100], [100, 100], [-100, 100]] as const) click(h, x, y);
    h.tool.key('Enter', h.ctx);
    expect(geometryAreaPx(h.rois()[0]!.geometry)).toBeCloseTo(100 * 100, 6);
    for (const [x, y] of [[-100, -100], [-50, -100], [-50, -50]] as const) click(h, x, y);
    h.tool.key('Enter', h.ctx);
    expect(h.rois()).toHaveLength(1);
  });
});

describe('freehand, rectangle and ellipse', () => {
  it('freehand: a drawn circle becomes a simplified polygon of about its area', () => {
    const h = harness('freehand');
    const pts = Array.from({ length: 200 }, (_, i): [number, number] => [500 + 100 * Math.cos((i / 200) * 2 * Math.PI), 400 + 100 * Math.sin((i / 200) * 2 * Math.PI)]);
    dragPath(h, pts);
    const roi = h.rois()[0]!;
    expect(roi.tool).toBe('freehand');
    expect(geometryAreaPx(roi.geometry) / (Math.PI * 100 * 100)).toBeCloseTo(1, 2);
    expect(ringOf(roi).length).toBeLessThan(200);
  });

  it('freehand: Escape during the drag draws nothing', () => {
    const h = harness('freehand');
    h.tool.down(h.at(10, 10), h.ctx);
    h.tool.move(h.at(100, 10), h.ctx);
    h.tool.move(h.at(100, 100), h.ctx);
    expect(h.tool.key('Escape', h.ctx)).toBe(true);
    h.tool.up(h.at(10, 100), h.ctx);
    expect(h.commits).toHaveLength(0);
  });

  it('rectangle: corner to corner; Shift makes a square; a click draws nothing', () => {
    const h = harness('rectangle');
    dragPath(h, [[100, 100], [200, 150], [300, 160]]);
    expect(geometryAreaPx(h.rois()[0]!.geometry)).toBeCloseTo(200 * 60, 6);
    dragPath(h, [[100, 100], [300, 160]], { shiftKey: true });
    expect(geometryAreaPx(h.rois()[1]!.geometry)).toBeCloseTo(200 * 200, 6);
    dragPath(h, [[100, 100], [100.5, 100.5]]);
    expect(h.rois()).toHaveLength(2);
  });

  it('ellipse: area π·rx·ry; Alt draws from the centre', () => {
    const h = harness('ellipse');
    dragPath(h, [[100, 100], [300, 200]]);
    expect(geometryAreaPx(h.rois()[0]!.geometry) / (Math.PI * 100 * 50)).toBeCloseTo(1, 5);
    dragPath(h, [[500, 400], [550, 420]], { altKey: true });
    expect(geometryAreaPx(h.rois()[1]!.geometry) / (Math.PI * 50 * 20)).toBeCloseTo(1, 5);
  });
});

describe('brush and eraser', () => {
  it('a brush stroke with nothing selected paints a new region of the current role (size in screen px)', () => {
    const h = harness('brush', { role: 'exclude', brushPx: 40 });
    dragPath(h, [[100, 100], [200, 100], [300, 100]]);
    const roi = h.rois()[0]!;
    expect(roi).toMatchObject({ role: 'exclude', tool: 'brush' });
    const r = 40 / 2 / VIEW.scale; // 10 image px
    expect(geometryAreaPx(roi.geometry) / (Math.PI * r * r + 2 * r * 200)).toBeCloseTo(1, 2);
  });

  it('the brush adds to the selected region of the same role (union)', () => {
    const a = square('a', 100, 100, 200, 200);
    const h = harness('brush', { rois: [a], selectedId: a.id, brushPx: 40 });
    dragPath(h, [[150, 150], [400, 150]]);
    expect(h.rois()).toHaveLength(1);
    const u = h.commits[0]!.patch.updated[0]!;
    expect(u.before).toBe(a);
    const stroke = u.after.geometry;
    expect(geometryAreaPx(stroke)).toBeGreaterThan(geometryAreaPx(a.geometry));
    expect(geometryAreaPx(unionGeometry(a.geometry, stroke))).toBeCloseTo(geometryAreaPx(stroke), 3);
  });

  it('with a region of the other role selected, the brush paints a new region', () => {
    const a = square('a', 100, 100, 200, 200);
    const h = harness('brush', { rois: [a], selectedId: a.id, role: 'exclude' });
    dragPath(h, [[150, 150], [180, 150]]);
    expect(h.rois().map((r) => r.role)).toEqual(['include', 'exclude']);
    expect(h.selected()).toBe(h.rois()[1]!.id);
  });

  it('the eraser removes from the selected region (difference); a region erased away is deleted', () => {
    const a = square('a', 100, 100, 200, 200);
    const b = square('b', 120, 120, 130, 130);
    const h = harness('eraser', { rois: [a, b], selectedId: a.id, brushPx: 40 });
    dragPath(h, [[150, 90], [150, 210]]);
    const after = h.rois().find((r) => r.id === a.id)!;
    expect(geometryAreaPx(after.geometry)).toBeCloseTo(100 * 100 - 20 * 100, -1);
    expect(after.geometry.length).toBe(2); // cut in two
    expect(h.rois().find((r) => r.id === b.id)).toBe(b); // not selected: untouched

    const g = harness('eraser', { rois: [a, b], selectedId: null, brushPx: 60 });
    dragPath(g, [[125, 110], [125, 140]]);
    expect(g.rois().map((r) => r.id)).toEqual(['a']); // b wiped out, a nicked
    expect(g.commits[0]!.patch.removed.map((r) => r.id)).toEqual(['b']);
    // a loses what the stroke (radius 15, x 110–140, y 95–155) covers of it: its corner 110–140 × 100–155 and round caps.
    const nicked = g.commits[0]!.patch.updated[0]!.after.geometry;
    const lost = 100 * 100 - geometryAreaPx(nicked);
    expect(lost).toBeGreaterThan(30 * 40);
    expect(lost).toBeLessThan(30 * 55 + Math.PI * 15 * 15);
    expect(geometryAreaPx(differenceGeometry(nicked, a.geometry))).toBe(0);
  });

  it('shows the brush ring at the pointer; Escape cancels a stroke', () => {
    const h = harness('brush', { brushPx: 30 });
    h.tool.move({ ...h.at(50, 50), button: -1 }, h.ctx);
    expect(h.tool.sketch(h.ctx)).toEqual([{ kind: 'ring', at: toScreen(VIEW, [50, 50]), diameterPx: 30, mode: 'paint' }]);
    h.tool.down(h.at(50, 50), h.ctx);
    h.tool.move(h.at(80, 50), h.ctx);
    expect(h.tool.key('Escape', h.ctx)).toBe(true);
    h.tool.up(h.at(90, 50), h.ctx);
    expect(h.commits).toHaveLength(0);
  });
});

describe('select tool', () => {
  it('selects by click, moves by drag, leaves empty-image presses to the viewer', () => {
    const a = square('a', 100, 100, 200, 200);
    const h = harness('select', { rois: [a] });
    expect(click(h, 150, 150)).toBe(true);
    expect(h.selected()).toBe('a');
    expect(h.commits).toHaveLength(0); // a click is no move
    dragPath(h, [[150, 150], [170, 160], [200, 190]]);
    const moved = h.rois()[0]!;
    expect(ringOf(moved).sort()).toEqual([[150, 140], [250, 140], [250, 240], [150, 240]].sort());
    expect(click(h, 600, 600)).toBe(false);
    expect(h.selected()).toBeNull();
  });

  it('drags a vertex of the selected region; Alt-click removes one; Escape cancels a drag', () => {
    const a = square('a', 100, 100, 200, 200);
    const h = harness('select', { rois: [a], selectedId: a.id });
    dragPath(h, [[200, 200], [260, 230]]);
    expect(ringOf(h.rois()[0]!).sort()).toEqual([[100, 100], [200, 100], [260, 230], [100, 200]].sort());
    click(h, 260, 230, { altKey: true });
    expect(ringOf(h.rois()[0]!)).toHaveLength(3);
    const n = h.commits.length;
    h.tool.down(h.at(100, 100), h.ctx);
    h.tool.move(h.at(50, 50), h.ctx);
    expect(h.tool.sketch(h.ctx)[0]).toMatchObject({ kind: 'geometry', replaces: 'a' });
    expect(h.tool.key('Escape', h.ctx)).toBe(true);
    h.tool.up(h.at(50, 50), h.ctx);
    expect(h.commits).toHaveLength(n);
  });

  it('double-click on an edge of the selected region adds a vertex there', () => {
    const a = square('a', 100, 100, 200, 200);
    const h = harness('select', { rois: [a], selectedId: a.id });
    expect(h.tool.doubleClick(h.at(150, 100), h.ctx)).toBe(true);
    expect(ringOf(h.rois()[0]!)).toContainEqual([150, 100]);
  });

  it('hidden regions cannot be picked', () => {
    const a = { ...square('a', 100, 100, 200, 200), hidden: true };
    const h = harness('select', { rois: [a] });
    expect(click(h, 150, 150)).toBe(false);
    expect(h.selected()).toBeNull();
  });
});

describe('screen pointers', () => {
  it('the harness converts like the layer: image → screen → image', () => {
    const p = screenPoint(111, 222);
    expect(toScreen(VIEW, toImage(VIEW, p))).toEqual(p);
  });
});
