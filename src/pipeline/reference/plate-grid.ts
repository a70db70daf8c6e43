/**
 * Multiwell-plate layouts and the robust fit of a plate grid to detected well centres.
 *
 * A plate is a square lattice (SBS plates have the same pitch along rows and columns) seen under a
 * similarity transform: node (row i, column j) ↦ origin + j·(a, b) + i·(−b, a), where (a, b) =
 * pitch · (cos θ, sin θ). Pure functions over plain point lists; coordinates in any pixel unit.
 *
 * Fit (deterministic hypothesise-and-verify): every pair of strong points whose distance is a
 * plausible pitch and whose direction is within `maxRotationDeg` of an image axis proposes a
 * lattice; all points are assigned to the nearest node (within 0.2, then 0.12 pitch), the lattice is
 * refitted by least squares, and the assigned nodes are scored against every allowed layout window
 * (rows × columns): score = 1.5 · Σ strength − 0.5 · (rows·cols), where a point's strength is its
 * weight relative to half the strongest point's, at most 1: +1 per explained well-like point, −½ per
 * node left empty. Points off the lattice (spurious circles) are ignored; empty nodes (missing or
 * unseen wells) cost little, so one or a few do not change the layout or the fit. Points weaker than
 * 30 % of the strongest (deposits inside the wells) are never assigned to a node, so a lattice of
 * them neither beats the wells nor pulls the fit.
 */

/** Wells per plate. */
export type PlateLayout = 6 | 12 | 24 | 48 | 96;
export const PLATE_LAYOUTS: readonly PlateLayout[] = [6, 12, 24, 48, 96];

/** SBS-like geometry (mm): rows × columns, centre-to-centre pitch, well bottom diameter. */
export const PLATE_GEOMETRY: Readonly<Record<PlateLayout, { rows: number; cols: number; pitchMm: number; wellDiameterMm: number }>> = {
  6: { rows: 2, cols: 3, pitchMm: 39.12, wellDiameterMm: 34.8 },
  12: { rows: 3, cols: 4, pitchMm: 26.01, wellDiameterMm: 22.1 },
  24: { rows: 4, cols: 6, pitchMm: 19.3, wellDiameterMm: 15.6 },
  48: { rows: 6, cols: 8, pitchMm: 13.08, wellDiameterMm: 11.0 },
  96: { rows: 8, cols: 12, pitchMm: 9.0, wellDiameterMm: 6.4 },
};

/** Well id of row i, column j (0-based): A1, A2, …, B1, … */
export function wellId(row: number, col: number): string {
  return `${String.fromCharCode(65 + row)}${col + 1}`;
}

export interface GridPoint {
  readonly x: number;
  readonly y: number;
  /** Detection strength (> 0); the strongest point wins a node claimed by several. */
  readonly weight: number;
}

export interface GridNode {
  readonly row: number;
  readonly col: number;
  /** Predicted centre from the fitted lattice. */
  readonly x: number;
  readonly y: number;
  /** Index of the point assigned to this node, or −1 (no point: missing or undetected well). */
  readonly point: number;
}

export interface GridFit {
  readonly layout: PlateLayout;
  readonly rows: number;
  readonly cols: number;
  /** Centre-to-centre distance (same unit as the points). */
  readonly pitch: number;
  /** Rotation of the rows against the image x axis (rad, positive = clockwise on screen, y down). */
  readonly rotationRad: number;
  /** Row-major nodes, A1 first. */
  readonly nodes: GridNode[];
  /** Points on the lattice inside the layout window. */
  readonly found: number;
  /** Indices of the points rejected as not on the plate grid. */
  readonly rejected: number[];
}

export interface GridFitOptions {
  /** Largest plate rotation considered (degrees). Default 8. */
  readonly maxRotationDeg?: number;
  /** Plausible pitch range (same unit as the points). Default: anything. */
  readonly minPitch?: number;
  readonly maxPitch?: number;
  /** Points that may propose a lattice (the strongest ones). Default 40. */
  readonly seeds?: number;
  /**
   * Evidence of a well at a predicted node that has no point (higher = more likely a well; e.g.
   * −Infinity outside the image). Breaks ties between equally good windows (a wholly undetected row).
   */
  readonly nodeScore?: (x: number, y: number) => number;
}

/** Lattice coordinates (column u, row v) of an image point. */
function toLattice(L: Lattice, x: number, y: number): { u: number; v: number } {
  const s2 = L.a * L.a + L.b * L.b, dx = x - L.ox, dy = y - L.oy;
  return { u: (L.a * dx + L.b * dy) / s2, v: (-L.b * dx + L.a * dy) / s2 };
}

/** Assigns points to nodes within `tol` (pitch units); the strongest point wins. Key = "i,j". */
function assign(L: Lattice, pts: readonly GridPoint[], tol: number): Map<string, { i: number; j: number; k: number }> {
  const m = new Map<string, { i: number; j: number; k: number }>();
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k]!, { u, v } = toLattice(L, p.x, p.y);
    const j = Math.round(u), i = Math.round(v);
    if (!(Math.hypot(u - j, v - i) <= tol)) continue; // also skips the NaN of excluded points
    const key = `${i},${j}`, old = m.get(key);
    if (!old || pts[old.k]!.weight < p.weight) m.set(key, { i, j, k });
  }
  return m;
}

/** A lattice: node (row i, column j) ↦ (ox + j·a − i·b, oy + j·b + i·a); pitch = |(a, b)|. */
export interface Lattice {
  readonly ox: number;
  readonly oy: number;
  readonly a: number;
  readonly b: number;
}

/** Position of node (row i, column j). */
export function latticeNode(L: Lattice, i: number, j: number): { x: number; y: number } {
  return { x: L.ox + j * L.a - i * L.b, y: L.oy + j * L.b + i * L.a };
}

/** Least-squares similarity from node indices (row i, column j) to points; null if < 3 pairs. */
export function fitLattice(pairs: readonly { i: number; j: number; x: number; y: number }[]): Lattice | null {
  const n = pairs.length;
  if (n < 3) return null;
  let mj = 0, mi = 0, mx = 0, my = 0;
  for (const q of pairs) {
    mj += q.j / n;
    mi += q.i / n;
    mx += q.x / n;
    my += q.y / n;
  }
  let sa = 0, sb = 0, ss = 0;
  for (const q of pairs) {
    const J = q.j - mj, I = q.i - mi, X = q.x - mx, Y = q.y - my;
    sa += J * X + I * Y;
    sb += J * Y - I * X;
    ss += J * J + I * I;
  }
  if (ss === 0) return null;
  const a = sa / ss, b = sb / ss;
  return { a, b, ox: mx - a * mj + b * mi, oy: my - b * mj - a * mi };
}

function refit(pairs: Iterable<{ i: number; j: number; k: number }>, pts: readonly GridPoint[]): Lattice | null {
  return fitLattice([...pairs].map((q) => ({ i: q.i, j: q.j, x: pts[q.k]!.x, y: pts[q.k]!.y })));
}

interface Window {
  layout: PlateLayout;
  i0: number;
  j0: number;
  rows: number;
  cols: number;
  found: number;
  score: number;
  transposed: boolean;
}

/** Best layout windows over the occupied nodes (2-D prefix sums). Returns all windows tied for best. */
function bestWindows(nodes: readonly { i: number; j: number; s: number }[], layouts: readonly PlateLayout[]): Window[] {
  if (!nodes.length) return [];
  let imin = Infinity, imax = -Infinity, jmin = Infinity, jmax = -Infinity;
  for (const n of nodes) {
    imin = Math.min(imin, n.i);
    imax = Math.max(imax, n.i);
    jmin = Math.min(jmin, n.j);
    jmax = Math.max(jmax, n.j);
  }
  const H = imax - imin + 1, W = jmax - jmin + 1, W1 = W + 1;
  const C = new Float64Array((H + 1) * W1), S = new Float64Array((H + 1) * W1);
  for (const n of nodes) {
    C[(n.i - imin + 1) * W1 + (n.j - jmin + 1)]! += 1;
    S[(n.i - imin + 1) * W1 + (n.j - jmin + 1)]! += n.s;
  }
  for (const P of [C, S]) {
    for (let i = 1; i <= H; i++) for (let j = 1; j <= W; j++) P[i * W1 + j]! += P[(i - 1) * W1 + j]! + P[i * W1 + j - 1]! - P[(i - 1) * W1 + j - 1]!;
  }
  const sum = (P: Float64Array, i0: number, j0: number, h: number, w: number) => {
    const a = Math.max(0, i0), b = Math.max(0, j0), c = Math.min(H, i0 + h), d = Math.min(W, j0 + w);
    if (c <= a || d <= b) return 0;
    return P[c * W1 + d]! - P[a * W1 + d]! - P[c * W1 + b]! + P[a * W1 + b]!;
  };
  let best: Window[] = [];
  for (const layout of layouts) {
    const g = PLATE_GEOMETRY[layout];
    for (const transposed of [false, true]) {
      const rows = transposed ? g.cols : g.rows, cols = transposed ? g.rows : g.cols;
      for (let i0 = Math.min(0, H - rows); i0 <= Math.max(0, H - rows); i0++) {
        for (let j0 = Math.min(0, W - cols); j0 <= Math.max(0, W - cols); j0++) {
          const found = Math.round(sum(C, i0, j0, rows, cols));
          const score = 1.5 * sum(S, i0, j0, rows, cols) - 0.5 * rows * cols;
          const w: Window = { layout, i0: i0 + imin, j0: j0 + jmin, rows, cols, found, score, transposed };
          if (!best.length || score > best[0]!.score + TIE) best = [w];
          else if (Math.abs(score - best[0]!.score) <= TIE) best.push(w);
        }
      }
    }
  }
  return best;
}

const TIE = 1e-6;
/** Candidates weaker than this fraction of the strongest are not assigned to nodes. */
const MIN_WEIGHT_FRAC = 0.3;

/**
 * Fits the plate grid to candidate well centres. Returns the fit, or a reason when no lattice of an
 * allowed layout explains at least half of its wells (and at least 4). A best fit whose rows run
 * along the image's short side (plate photographed upright) is reported as a reason too.
 */
export function fitPlateGrid(points: readonly GridPoint[], layout: PlateLayout | 'auto', o: GridFitOptions = {}): GridFit | { reason: string } {
  const layouts = layout === 'auto' ? PLATE_LAYOUTS : [layout];
  const maxRot = ((o.maxRotationDeg ?? 8) * Math.PI) / 180;
  const order = points.map((_, k) => k).sort((p, q) => points[q]!.weight - points[p]!.weight);
  const seeds = order.slice(0, o.seeds ?? 40);
  const top = order.length ? points[order[0]!]!.weight : 1;
  const strength = (k: number) => Math.min(1, points[k]!.weight / (0.5 * top));
  // much weaker candidates (deposits, dust) never stand for a well; they cannot pull the lattice
  const strong = points.map((p) => (p.weight >= MIN_WEIGHT_FRAC * top ? p : { x: NaN, y: NaN, weight: 0 }));
  let best: { L: Lattice; win: Window; nodes: Map<string, { i: number; j: number; k: number }> } | null = null;
  for (const s of seeds) {
    for (const t of seeds) {
      if (s === t) continue;
      const p = points[s]!, q = points[t]!;
      const dx = q.x - p.x, dy = q.y - p.y, d = Math.hypot(dx, dy);
      if (d < (o.minPitch ?? 0) || d > (o.maxPitch ?? Infinity)) continue;
      // the direction folded onto the nearest image axis (a lattice has 4-fold symmetry)
      const ang = Math.atan2(dy, dx), k = Math.round(ang / (Math.PI / 2)), th = ang - (k * Math.PI) / 2;
      if (Math.abs(th) > maxRot || (k !== 0 && k !== 1)) continue; // each unordered pair once: t right of or below s
      let L: Lattice | null = { ox: p.x, oy: p.y, a: d * Math.cos(th), b: d * Math.sin(th) };
      let nodes = assign(L, strong, 0.2);
      for (let it = 0; it < 2 && L; it++) {
        L = refit(nodes.values(), points);
        if (L) nodes = assign(L, strong, 0.12);
      }
      if (!L) continue;
      const pitch = Math.hypot(L.a, L.b);
      if (pitch < (o.minPitch ?? 0) || pitch > (o.maxPitch ?? Infinity) || Math.abs(Math.atan2(L.b, L.a)) > maxRot) continue;
      const wins = bestWindows([...nodes.values()].map((q) => ({ i: q.i, j: q.j, s: strength(q.k) })), layouts);
      const win = wins.length ? pickWindow(wins, L, nodes, o.nodeScore) : null;
      if (win && (!best || win.score > best.win.score + TIE)) best = { L, win, nodes };
    }
  }
  if (!best) return { reason: 'no two candidate wells at a plausible plate pitch' };
  const { L, win } = best;
  const need = Math.max(4, Math.ceil((win.rows * win.cols) / 2));
  if (win.found < need) return { reason: `best plate grid explains only ${win.found} circles (a ${win.layout}-well plate needs ≥ ${need})` };
  if (win.transposed) {
    return { reason: `best grid has ${win.rows} rows × ${win.cols} columns: rows along the image's short side (an upright plate, or no plate)` };
  }
  // final least-squares fit on the nodes inside the window
  const inWin = [...best.nodes.values()].filter((n) => n.i >= win.i0 && n.i < win.i0 + win.rows && n.j >= win.j0 && n.j < win.j0 + win.cols);
  const F = refit(inWin, points) ?? L;
  const used = new Map(inWin.map((n) => [`${n.i},${n.j}`, n.k]));
  const nodes: GridNode[] = [];
  for (let r = 0; r < win.rows; r++) {
    for (let c = 0; c < win.cols; c++) {
      const i = win.i0 + r, j = win.j0 + c;
      nodes.push({ row: r, col: c, ...latticeNode(F, i, j), point: used.get(`${i},${j}`) ?? -1 });
    }
  }
  const kept = new Set(inWin.map((n) => n.k));
  return {
    layout: win.layout, rows: win.rows, cols: win.cols, pitch: Math.hypot(F.a, F.b), rotationRad: Math.atan2(F.b, F.a),
    nodes, found: inWin.length, rejected: points.map((_, k) => k).filter((k) => !kept.has(k)),
  };
}

/** Among tied windows, the one whose empty nodes look most like wells (by `nodeScore`). */
function pickWindow(wins: Window[], L: Lattice, nodes: Map<string, unknown>, nodeScore?: (x: number, y: number) => number): Window {
  if (wins.length === 1 || !nodeScore) return wins[0]!;
  let best = wins[0]!, bestS = -Infinity;
  for (const w of wins) {
    let s = 0;
    for (let i = w.i0; i < w.i0 + w.rows; i++) {
      for (let j = w.j0; j < w.j0 + w.cols; j++) {
        if (nodes.has(`${i},${j}`)) continue;
        const p = latticeNode(L, i, j);
        s += nodeScore(p.x, p.y);
      }
    }
    if (s > bestS) {
      bestS = s;
      best = w;
    }
  }
  return best;
}
