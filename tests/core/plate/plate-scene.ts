/**
 * Small synthetic multiwell-plate photos with exact well geometry, rendered like tools/synth.py's
 * `plate` scene: light box (0.97), plate body (0.62), dark well walls (0.22) from R to 1.07 R, well
 * bottom (0.93) with a textured cell layer, red deposits, a meniscus shadow inside the wall; plate
 * rotated about the image centre. Options remove wells (no wall at all), leave wells empty (no cells),
 * hide a well's inner edge under deposits as dark as the wall, and add spurious dark circles.
 */
import type { RgbImage } from '../../../src/pipeline/raster.js';
import { PLATE_GEOMETRY, type PlateLayout, wellId } from '../../../src/pipeline/reference/plate-grid.js';
import { emptyScene, render, rng } from '../reference/synth-raster.js';

/** A1 centre offsets from the plate corner (mm), as in tools/synth.py. */
const A1_MM: Record<PlateLayout, readonly [number, number]> = { 6: [24.76, 23.16], 12: [24.94, 16.79], 24: [17.53, 13.67], 48: [18.16, 10.08], 96: [14.38, 11.24] };
const PLATE_MM = [127.76, 85.48] as const;

export interface SceneWell {
  readonly id: string;
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
}

export interface PlateSceneOptions {
  readonly layout: PlateLayout;
  readonly width: number;
  readonly height: number;
  /** Plate rotation, degrees clockwise on screen. */
  readonly rotationDeg?: number;
  /** Wells absent from the photo (plain plate plastic). */
  readonly missing?: readonly string[];
  /** Wells without a cell layer or deposits. */
  readonly empty?: readonly string[];
  /**
   * Wells with a deposit band along the inner edge, over 80 % of the circumference, exactly as dark
   * as the wall (and no meniscus shadow there): no inner wall edge to see.
   */
  readonly hiddenEdge?: readonly string[];
  /** A dark ring on the light box and a dark disc on the plate between wells. */
  readonly spurious?: boolean;
  readonly seed?: number;
}

/** Renders the plate; returns the image and the true wells (row-major, A1 first). */
export function plateScene(o: PlateSceneOptions): { image: RgbImage; wells: SceneWell[] } {
  const { width: W, height: H } = o;
  const g = PLATE_GEOMETRY[o.layout], [a1x, a1y] = A1_MM[o.layout];
  const mmPerPx = Math.max((PLATE_MM[0] * 1.06) / W, (PLATE_MM[1] * 1.06) / H);
  const ox = (W - PLATE_MM[0] / mmPerPx) / 2, oy = (H - PLATE_MM[1] / mmPerPx) / 2;
  const rot = ((o.rotationDeg ?? 0) * Math.PI) / 180, c = Math.cos(rot), s = Math.sin(rot);
  const R = g.wellDiameterMm / 2 / mmPerPx, P = g.pitchMm / mmPerPx;
  const toImage = (x: number, y: number) => ({ x: W / 2 + (x - W / 2) * c - (y - H / 2) * s, y: H / 2 + (x - W / 2) * s + (y - H / 2) * c });
  const wells: SceneWell[] = [];
  for (let i = 0; i < g.rows; i++) {
    for (let j = 0; j < g.cols; j++) {
      const p = toImage(ox + (a1x + j * g.pitchMm) / mmPerPx, oy + (a1y + i * g.pitchMm) / mmPerPx);
      wells.push({ id: wellId(i, j), cx: p.x, cy: p.y, r: R });
    }
  }
  const sc = emptyScene(W, H, 0.97);
  const rim = new Float32Array(W * H).fill(1);
  const rnd = rng(o.seed ?? 1);
  const deposits = wells.map(() => Array.from({ length: 4 }, () => ({ a: 2 * Math.PI * rnd.uniform(), d: 0.75 * R * Math.sqrt(rnd.uniform()), r: R * (0.06 + 0.12 * rnd.uniform()) })));
  const has = (list: readonly string[] | undefined, id: string) => list?.includes(id) ?? false;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      // plate coordinates (unrotated) of the pixel
      const u = W / 2 + (x - W / 2) * c + (y - H / 2) * s, v = H / 2 - (x - W / 2) * s + (y - H / 2) * c;
      if (u < ox || v < oy || u > ox + PLATE_MM[0] / mmPerPx || v > oy + PLATE_MM[1] / mmPerPx) continue;
      sc.substrate[i] = 0.62;
      const jj = Math.round((u - ox - a1x / mmPerPx) / P), ii = Math.round((v - oy - a1y / mmPerPx) / P);
      if (ii < 0 || jj < 0 || ii >= g.rows || jj >= g.cols) continue;
      const k = ii * g.cols + jj, w = wells[k]!, d = Math.hypot(x - w.cx, y - w.cy);
      if (d >= 1.07 * R || has(o.missing, w.id)) continue;
      if (d >= R) {
        sc.substrate[i] = 0.22;
        continue;
      }
      sc.substrate[i] = 0.93;
      rim[i] = 1 - 0.3 * Math.exp(-(R - d) / (0.05 * R));
      if (has(o.empty, w.id)) continue;
      let od = [0.05, 0.07, 0.1].map((q) => q * (0.8 + 0.4 * rnd.uniform()));
      const dep = deposits[k]!.some((q) => Math.hypot(x - w.cx - q.d * Math.cos(q.a), y - w.cy - q.d * Math.sin(q.a)) < q.r);
      if (dep) od = [0.12, 0.66, 0.74].map((q) => q * 1.2);
      if (has(o.hiddenEdge, w.id) && d > 0.85 * R && Math.sin(Math.atan2(y - w.cy, x - w.cx) * 3) > -0.8) {
        od = [1, 1, 1].map(() => -Math.log10(0.22 / 0.93));
        rim[i] = 1;
      }
      for (let ch = 0; ch < 3; ch++) sc.od[3 * i + ch] = od[ch]!;
    }
  }
  if (o.spurious) {
    const ring = { x: 0.5 * W, y: 0.025 * H, r: 0.5 * R }, disc = toImage(ox + (a1x + 0.5 * g.pitchMm) / mmPerPx, oy + (a1y + 0.5 * g.pitchMm) / mmPerPx);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = Math.hypot(x - ring.x, y - ring.y);
        if (Math.abs(d - ring.r) < 0.04 * R) sc.substrate[y * W + x] = 0.2;
        if (Math.hypot(x - disc.x, y - disc.y) < 0.12 * R) sc.substrate[y * W + x] = 0.15;
      }
    }
  }
  const image = render(sc, { blurSigmaPx: 1, noise: 0.01, vignette: 0.05, illumination: (x, y) => rim[y * W + x]!, seed: o.seed ?? 7 });
  return { image, wells };
}
