/**
 * What the study charts draw, prepared from a StudyView (pure; tested without a DOM): the dot plot
 * (every sample over its group's mean ± SD) and the plate heat maps (mineral % and group per well).
 */
import type { StudyView } from '../../../src/common/api.js';
import { groupColor } from '../../state/metadata-model.js';
import { gridForWells, parseWellId, type PlateGrid } from '../plate/plate-layout.js';

export type ChartValueMode = 'pct' | 'fold';
export const NO_GROUP_LABEL = '(no group)';

export interface DotGroup {
  readonly index: number;
  readonly group: string | null;
  readonly label: string;
  readonly isControl: boolean;
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly color: string;
}

export interface DotPoint {
  readonly groupIndex: number;
  /** Group index plus a small deterministic offset, so equal values do not hide each other. */
  readonly x: number;
  readonly value: number;
  readonly title: string;
  readonly color: string;
}

export interface DotPlotData {
  readonly groups: readonly DotGroup[];
  readonly points: readonly DotPoint[];
  readonly mode: ChartValueMode;
  readonly yLabel: string;
  /** What one dot is ("animals", "images", "wells" …), for the caption and n. */
  readonly dotWord: string;
  readonly basis: 'units' | 'observations';
  readonly yMax: number;
  readonly yMin: number;
}

const UNIT_WORD: Record<string, string> = { animal: 'animals', image: 'images', observation: 'samples' };

function observationWord(view: StudyView): string {
  const obs = view.observations;
  if (obs.length && obs.every((o) => o.well)) return 'wells';
  if (obs.length && obs.every((o) => o.region)) return 'regions';
  return obs.some((o) => o.well || o.region) ? 'samples' : 'images';
}

/**
 * Horizontal offsets (in group widths) for dots of one group: values closer than `binSize` share a
 * row and are spread symmetrically around the centre (0, +s, −s, +2s …), at most ±maxOffset.
 */
export function spreadOffsets(values: readonly number[], binSize: number, maxOffset = 0.3): number[] {
  const out = new Array<number>(values.length).fill(0);
  const bins = new Map<number, number[]>();
  values.forEach((v, i) => {
    const b = binSize > 0 ? Math.round(v / binSize) : 0;
    bins.set(b, [...(bins.get(b) ?? []), i]);
  });
  for (const members of bins.values()) {
    const step = Math.min(0.07, maxOffset / Math.max(1, Math.ceil((members.length - 1) / 2)));
    members.forEach((i, k) => {
      const ring = Math.ceil(k / 2);
      out[i] = ring === 0 ? 0 : (k % 2 ? 1 : -1) * ring * step;
    });
  }
  return out;
}

/** The dot plot of a study: one dot per unit (replicates averaged) or per observation. */
export function dotPlotData(view: StudyView, o: { mode: ChartValueMode; allGroups: readonly string[] }): DotPlotData {
  const fold = o.mode === 'fold';
  const basis = view.groups[0]?.basis ?? 'observations';
  const groups: DotGroup[] = view.groups.map((g, index) => ({
    index,
    group: g.group,
    label: g.group ?? NO_GROUP_LABEL,
    isControl: g.isControl,
    n: g.stats.n,
    mean: fold ? g.foldChange : g.stats.mean,
    sd: fold ? g.foldChangeSd : g.stats.sd,
    color: groupColor(g.group, o.allGroups),
  }));
  const indexOf = new Map(groups.map((g) => [g.group, g.index] as const));
  const raw: { groupIndex: number; value: number; title: string }[] = [];
  if (basis === 'units') {
    for (const u of view.units) {
      const v = fold ? u.foldChange : u.stats.mean;
      const gi = indexOf.get(u.group);
      if (v === null || gi === undefined) continue;
      raw.push({ groupIndex: gi, value: v, title: `${u.unit} (${u.unitKind}, n = ${u.stats.n})` });
    }
  } else {
    for (const ob of view.observations) {
      const v = fold ? ob.foldChange : ob.mineralPct;
      const gi = indexOf.get(ob.group);
      if (v === null || gi === undefined) continue;
      raw.push({ groupIndex: gi, value: v, title: [ob.image, ob.well, ob.region].filter(Boolean).join(' ') });
    }
  }
  const tops = [...raw.map((p) => p.value), ...groups.map((g) => (g.mean ?? 0) + (g.sd ?? 0))];
  const yMax = Math.max(fold ? 1 : 0, ...tops);
  const yMin = Math.min(0, ...raw.map((p) => p.value), ...groups.map((g) => (g.mean ?? 0) - (g.sd ?? 0)));
  const binSize = (yMax - yMin) / 45;
  const offsets = new Map<number, number[]>();
  for (const g of groups) offsets.set(g.index, spreadOffsets(raw.filter((p) => p.groupIndex === g.index).map((p) => p.value), binSize));
  const seen = new Map<number, number>();
  const points = raw.map((p): DotPoint => {
    const k = seen.get(p.groupIndex) ?? 0;
    seen.set(p.groupIndex, k + 1);
    return { ...p, x: p.groupIndex + offsets.get(p.groupIndex)![k]!, color: groups[p.groupIndex]!.color };
  });
  const dotWord = basis === 'units' ? UNIT_WORD[view.units[0]?.unitKind ?? 'image'] ?? 'units' : observationWord(view);
  return {
    groups, points, mode: o.mode, basis, dotWord, yMax, yMin,
    yLabel: fold ? 'Fold change over control (mean = 1)' : 'Mineralized area (%)',
  };
}

/** Short labels for groups inside wells: `high phosphate` → HP, `control` → Con, `MK-7` stays. */
export function groupAbbreviations(groups: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const g of groups) {
    const words = g.split(/[\s_]+/).filter(Boolean);
    let a = g.length <= 4 ? g : words.length > 1 ? words.map((w) => w[0]!.toUpperCase()).join('').slice(0, 3) : g[0]!.toUpperCase() + g.slice(1, 3);
    for (let k = 2; used.has(a); k++) a = `${a.replace(/\d+$/, '')}${k}`;
    used.add(a);
    out.set(g, a);
  }
  return out;
}

export interface HeatCell {
  readonly well: string;
  readonly row: number;
  readonly col: number;
  readonly pct: number | null;
  readonly group: string | null;
  readonly abbr: string;
}

export interface HeatmapData {
  readonly image: string;
  readonly grid: PlateGrid;
  readonly cells: readonly HeatCell[];
  /** Groups on this plate with their short label and colour (key under the map). */
  readonly groups: readonly { readonly name: string; readonly abbr: string; readonly color: string }[];
}

export function heatmapData(plate: StudyView['plates'][number], allGroups: readonly string[]): HeatmapData {
  const names = [...new Set(plate.wells.map((w) => w.group).filter((g): g is string => !!g))];
  const order = allGroups.filter((g) => names.includes(g)).concat(names.filter((g) => !allGroups.includes(g)));
  const abbr = groupAbbreviations(order);
  const cells = plate.wells.flatMap((w): HeatCell[] => {
    const at = parseWellId(w.well);
    return at ? [{ well: w.well, ...at, pct: w.mineralPct, group: w.group, abbr: w.group ? abbr.get(w.group)! : '' }] : [];
  });
  return {
    image: plate.image,
    grid: gridForWells(cells.map((c) => c.well)),
    cells,
    groups: order.map((name) => ({ name, abbr: abbr.get(name)!, color: groupColor(name, allGroups) })),
  };
}

/** Every well percentage of the study's plates (one colour scale for all plates). */
export function plateValues(view: StudyView): number[] {
  return view.plates.flatMap((p) => p.wells.flatMap((w) => (w.mineralPct === null ? [] : [w.mineralPct])));
}
