/**
 * Plate-grid fit on synthetic point sets: every layout, rotated plates, missing wells, spurious
 * circles, weak candidates inside the wells, layout chosen automatically or given.
 */
import { describe, expect, it } from 'vitest';
import { type GridPoint, PLATE_GEOMETRY, PLATE_LAYOUTS, type PlateLayout, fitPlateGrid, wellId } from '../../../src/pipeline/reference/plate-grid.js';
import { rng } from '../reference/synth-raster.js';

interface Truth {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

/** Well centres of a plate with pitch `pitch` (px), rotated by `deg` (clockwise on screen) about (500, 350). */
function platePoints(layout: PlateLayout, o: { pitch?: number; deg?: number } = {}): Truth[] {
  const g = PLATE_GEOMETRY[layout], p = o.pitch ?? 40, a = ((o.deg ?? 0) * Math.PI) / 180;
  const out: Truth[] = [];
  for (let i = 0; i < g.rows; i++) {
    for (let j = 0; j < g.cols; j++) {
      const u = (j - (g.cols - 1) / 2) * p, v = (i - (g.rows - 1) / 2) * p;
      out.push({ id: wellId(i, j), x: 500 + u * Math.cos(a) - v * Math.sin(a), y: 350 + u * Math.sin(a) + v * Math.cos(a) });
    }
  }
  return out;
}

/** Candidate points at the wells, with Gaussian position noise of σ = `jitter` px. */
function asPoints(t: readonly Truth[], weight = 100, jitter = 0): GridPoint[] {
  const r = rng(5);
  return t.map((q) => ({ x: q.x + jitter * r.normal(), y: q.y + jitter * r.normal(), weight }));
}

function expectFit(fit: ReturnType<typeof fitPlateGrid>, truth: readonly Truth[], layout: PlateLayout, tolPx = 0.05) {
  if ('reason' in fit) throw new Error(fit.reason);
  expect(fit.layout).toBe(layout);
  expect(fit.nodes).toHaveLength(truth.length);
  fit.nodes.forEach((n, k) => {
    expect(wellId(n.row, n.col)).toBe(truth[k]!.id);
    expect(Math.hypot(n.x - truth[k]!.x, n.y - truth[k]!.y), truth[k]!.id).toBeLessThan(tolPx);
  });
  return fit;
}

describe('fitPlateGrid', () => {
  for (const layout of PLATE_LAYOUTS) {
    it(`finds a ${layout}-well plate rotated by 2° (layout auto), labels row-major from the top left`, () => {
      const truth = platePoints(layout, { deg: 2, pitch: 40 });
      const fit = expectFit(fitPlateGrid(asPoints(truth), 'auto'), truth, layout);
      expect((fit.rotationRad * 180) / Math.PI).toBeCloseTo(2, 6);
      expect(fit.pitch).toBeCloseTo(40, 6);
      expect(fit.found).toBe(layout);
      expect(fit.rejected).toEqual([]);
    });

    it(`${layout} wells: one missing well and one spurious circle, rotated by −2.5°`, () => {
      const truth = platePoints(layout, { deg: -2.5, pitch: 55 });
      const pts = asPoints(truth, 100, 0.3);
      const missing = Math.floor(truth.length / 2);
      pts.splice(missing, 1);
      // a spurious circle between wells, and one outside the plate
      pts.push({ x: (truth[0]!.x + truth[1]!.x) / 2 + 3, y: truth[0]!.y + 27, weight: 120 });
      pts.push({ x: truth[truth.length - 1]!.x + 200, y: truth[truth.length - 1]!.y + 170, weight: 90 });
      // the least-squares lattice averages the position noise out
      const fit = expectFit(fitPlateGrid(pts, 'auto'), truth, layout, 0.4);
      expect(fit.nodes[missing]!.point).toBe(-1);
      expect(fit.nodes.filter((n) => n.point < 0)).toHaveLength(1);
      expect(fit.rejected.sort()).toEqual([pts.length - 2, pts.length - 1]);
    });
  }

  it('keeps the layout when a whole row is undetected, choosing the side with evidence', () => {
    const truth = platePoints(24, { deg: 1, pitch: 60 });
    const pts = asPoints(truth.filter((t) => !t.id.startsWith('A')));
    const rowA = truth.filter((t) => t.id.startsWith('A'));
    // evidence (e.g. weak Hough votes) where row A really is
    const nodeScore = (x: number, y: number) => (rowA.some((t) => Math.hypot(t.x - x, t.y - y) < 5) ? 1 : 0);
    const fit = expectFit(fitPlateGrid(pts, 24, { nodeScore }), truth, 24, 0.05);
    expect(fit.nodes.filter((n) => n.point < 0).map((n) => wellId(n.row, n.col))).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
  });

  it('ignores weak candidates inside the wells (deposits), even when they form a finer grid', () => {
    const truth = platePoints(6, { pitch: 200, deg: 0.5 });
    const pts = asPoints(truth, 800);
    // a 4 × 3 block of weak circles inside every well (a lattice of its own)
    for (const t of truth) for (let a = 0; a < 3; a++) for (let b = 0; b < 4; b++) pts.push({ x: t.x - 45 + 30 * b, y: t.y - 30 + 30 * a, weight: 150 });
    pts.splice(4, 1); // and B2 is missing
    expectFit(fitPlateGrid(pts, 'auto'), truth, 6, 0.05);
  });

  it('fits a given layout, placing nodes the candidates do not cover', () => {
    const truth = platePoints(96, { deg: -1, pitch: 30 });
    const pts = asPoints(truth.filter((_, k) => k % 7 !== 3)); // 14 wells unseen
    const fit = expectFit(fitPlateGrid(pts, 96), truth, 96, 0.05);
    expect(fit.found).toBe(96 - 14);
  });

  it('refuses scattered points, too few wells, an upright plate and pitches outside the range', () => {
    const r = rng(11);
    const scattered = Array.from({ length: 60 }, () => ({ x: 1000 * r.uniform(), y: 700 * r.uniform(), weight: 50 + 50 * r.uniform() }));
    expect(fitPlateGrid(scattered, 'auto')).toHaveProperty('reason');
    expect(fitPlateGrid(asPoints(platePoints(24).slice(0, 3)), 24)).toHaveProperty('reason');
    // a 96-well plate photographed upright: 12 rows × 8 columns
    const upright = platePoints(96, { pitch: 30 }).map((t) => ({ x: 500 + (t.y - 350), y: 350 - (t.x - 500), weight: 100 }));
    expect((fitPlateGrid(upright, 'auto') as { reason: string }).reason).toMatch(/12 rows × 8 columns/);
    expect(fitPlateGrid(asPoints(platePoints(24, { pitch: 40 })), 'auto', { maxPitch: 35 })).toHaveProperty('reason');
  });
});
