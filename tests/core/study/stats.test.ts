/**
 * Statistics against a small hand-worked example (aortic sections per animal):
 *
 *   control  C1: 2, 4  (mean 3)   C2: 6 (mean 6)   C3: 1, 2, 3 (mean 2)
 *   HP       H1: 10, 14 (mean 12) H2: 8, failed (mean 8)
 *   MK-7     M1: 5
 *   empty    E1: failed
 *   (none)   X: 4
 *
 * Averaged (units): control means 3, 6, 2 → mean 11/3 = 3.666667; deviations −2/3, 7/3, −5/3,
 *   squares 4/9 + 49/9 + 25/9 = 78/9 → /2 = 13/3 → SD √(13/3) = 2.081666, SEM 2.081666/√3 = 1.201850,
 *   median 3. HP means 12, 8 → mean 10, SD √8 = 2.828427, SEM 2.828427/√2 = 2, fold 10/(11/3) =
 *   30/11 = 2.727273, fold SD 2.828427·3/11 = 0.771389; unit H1 fold 12·3/11 = 3.272727.
 * Not averaged (observations): control 2, 4, 6, 1, 2, 3 → mean 3, squares 1+1+9+4+1+0 = 16 → /5 →
 *   SD √3.2 = 1.788854, SEM 1.788854/√6 = 0.730297, median (2+3)/2 = 2.5. HP 10, 14, 8 → mean 32/3,
 *   fold (32/3)/3 = 3.555556.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/study/stats.js';
import { describe as describeValues, orderGroups, selectStatisticalObservations, summarizeStudy } from '../../../src/study/stats.js';

const section = (group: string | null, animal: string, mineralPct: number | null, i = 0): Observation => ({
  level: 'image',
  image: `${animal}_s${i}.tif`,
  mineralPct,
  meta: group === null ? { animal } : { group, animal, sampleType: 'aortic tissue' },
});

const STUDY: Observation[] = [
  section('HP', 'H1', 10, 1),
  section('control', 'C1', 2, 1),
  section('control', 'C1', 4, 2),
  section('HP', 'H1', 14, 2),
  section('control', 'C2', 6),
  section('HP', 'H2', 8, 1),
  section('HP', 'H2', null, 2),
  section('control', 'C3', 1, 1),
  section('control', 'C3', 2, 2),
  section('control', 'C3', 3, 3),
  section(null, 'X', 4),
  section('MK-7', 'M1', 5),
  section(' empty ', 'E1', Number.NaN),
];

/** Every number computed anywhere in `x` is finite (the input observations are echoed as given). */
function assertNoNaN(x: unknown, path = '$'): void {
  if (typeof x === 'number') expect(Number.isFinite(x), path).toBe(true);
  else if (Array.isArray(x)) x.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (k !== 'observation') assertNoNaN(v, `${path}.${k}`);
}

describe('describe', () => {
  it('n = 0, 1, 2 and even/odd medians', () => {
    expect(describeValues([])).toEqual({ n: 0, mean: null, sd: null, sem: null, median: null, min: null, max: null });
    expect(describeValues([5])).toEqual({ n: 1, mean: 5, sd: null, sem: null, median: 5, min: 5, max: 5 });
    const two = describeValues([8, 12]);
    expect(two).toMatchObject({ n: 2, mean: 10, median: 10, min: 8, max: 12 });
    expect(two.sd).toBeCloseTo(2.828427, 6);
    expect(two.sem).toBeCloseTo(2, 12);
    expect(describeValues([3, 1, 2, 6, 4, 2]).median).toBe(2.5);
    expect(describeValues([1, Number.NaN, Infinity, 3]).n).toBe(2);
  });
});

describe('summarizeStudy', () => {
  it('averages technical replicates per animal before the group statistics', () => {
    const s = summarizeStudy(STUDY, { averageReplicates: true, controlGroup: 'control' });
    expect(s.groups.map((g) => g.group)).toEqual(['control', 'HP', 'MK-7', 'empty', null]);
    const [control, hp, mk7, empty, none] = s.groups;
    expect(control).toMatchObject({ isControl: true, basis: 'units', nUnits: 3, nObservations: 6, nExcluded: 0, sampleType: 'aortic tissue' });
    expect(control!.stats).toMatchObject({ n: 3, median: 3, min: 2, max: 6 });
    expect(control!.stats.mean).toBeCloseTo(3.666667, 6);
    expect(control!.stats.sd).toBeCloseTo(2.081666, 6);
    expect(control!.stats.sem).toBeCloseTo(1.20185, 5);
    expect(control!.foldChange).toBe(1);
    expect(hp).toMatchObject({ nUnits: 2, nObservations: 3, nExcluded: 1 });
    expect(hp!.stats).toMatchObject({ n: 2, mean: 10, median: 10, min: 8, max: 12 });
    expect(hp!.stats.sd).toBeCloseTo(2.828427, 6);
    expect(hp!.stats.sem).toBeCloseTo(2, 12);
    expect(hp!.foldChange).toBeCloseTo(2.727273, 6);
    expect(hp!.foldChangeSd).toBeCloseTo(0.771389, 6);
    expect(mk7!.stats).toEqual({ n: 1, mean: 5, sd: null, sem: null, median: 5, min: 5, max: 5 });
    expect(mk7!.foldChangeSd).toBeNull();
    expect(empty).toMatchObject({ nUnits: 0, nObservations: 0, nExcluded: 1, foldChange: null });
    expect(empty!.stats.mean).toBeNull();
    expect(none).toMatchObject({ isControl: false, sampleType: null, stats: { n: 1, mean: 4 } });
    assertNoNaN(s);
    expect(s.warnings).toEqual([]);
  });

  it('gives per-unit values and fold changes', () => {
    const s = summarizeStudy(STUDY, { averageReplicates: true, controlGroup: 'control' });
    const h1 = s.units.find((u) => u.unit === 'H1')!;
    expect(h1).toMatchObject({ group: 'HP', unitKind: 'animal', nObservations: 2, nExcluded: 0, stats: { n: 2, mean: 12 } });
    expect(h1.foldChange).toBeCloseTo(3.272727, 6);
    const h2 = s.units.find((u) => u.unit === 'H2')!;
    expect(h2).toMatchObject({ nObservations: 2, nExcluded: 1, stats: { n: 1, mean: 8, sd: null } });
    expect(s.units.map((u) => u.unit)).toEqual(['C1', 'C2', 'C3', 'H1', 'H2', 'M1', 'E1', 'X']);
    expect(s.observations.map((o) => o.unit).slice(0, 6)).toEqual(['C1', 'C1', 'C2', 'C3', 'C3', 'C3']);
    expect(s.observations[0]!.foldChange).toBeCloseTo(2 / (11 / 3), 12);
  });

  it('counts every observation when replicates are not averaged', () => {
    const s = summarizeStudy(STUDY, { averageReplicates: false, controlGroup: 'control' });
    const [control, hp] = s.groups;
    expect(control!.basis).toBe('observations');
    expect(control!.stats).toMatchObject({ n: 6, mean: 3, median: 2.5, min: 1, max: 6 });
    expect(control!.stats.sd).toBeCloseTo(1.788854, 6);
    expect(control!.stats.sem).toBeCloseTo(0.730297, 6);
    expect(hp!.stats.n).toBe(3);
    expect(hp!.stats.mean).toBeCloseTo(32 / 3, 12);
    expect(hp!.foldChange).toBeCloseTo(3.555556, 6);
    expect(hp!.nUnits).toBe(2);
  });

  it('warns and gives no fold change when the control is missing, failed or zero', () => {
    const missing = summarizeStudy(STUDY, { averageReplicates: true, controlGroup: 'Control ' });
    expect(missing.warnings[0]).toContain('“Control” has no samples');
    expect(missing.groups.every((g) => g.foldChange === null && !g.isControl)).toBe(true);
    const failed = summarizeStudy(STUDY, { averageReplicates: true, controlGroup: 'empty' });
    expect(failed.warnings[0]).toContain('has no successful measurement');
    const zero = summarizeStudy([section('c', 'A', 0), section('t', 'B', 2)], { averageReplicates: true, controlGroup: 'c' });
    expect(zero.warnings[0]).toContain('mean of 0 % mineral');
    expect(zero.units.every((u) => u.foldChange === null)).toBe(true);
    assertNoNaN([missing, failed, zero]);
    expect(summarizeStudy([], { averageReplicates: true, controlGroup: 'c' }).groups).toEqual([]);
  });

  it('without animal ids, the wells of one condition on one plate are one unit', () => {
    const well = (plate: string, w: string, group: string, mineralPct: number): Observation => ({
      level: 'well',
      image: plate,
      well: w,
      mineralPct,
      meta: { group },
    });
    const rows: Observation[] = [
      { level: 'image', image: 'P1.tif', mineralPct: 50, meta: {} },
      well('P1.tif', 'A1', 'control', 1),
      well('P1.tif', 'A2', 'control', 3),
      well('P1.tif', 'B1', 'HP', 10),
      well('P2.tif', 'A1', 'control', 5),
      well('P2.tif', 'B1', 'HP', 20),
      well('P2.tif', 'B2', 'HP', 30),
      { level: 'image', image: 'single.tif', mineralPct: 7, meta: { group: 'HP' } },
    ];
    const used = selectStatisticalObservations(rows);
    expect(used).toHaveLength(7);
    expect(used.some((o) => o.image === 'P1.tif' && o.level === 'image')).toBe(false);
    const s = summarizeStudy(used, { averageReplicates: true, controlGroup: 'control' });
    expect(s.units.map((u) => [u.group, u.unit, u.stats.mean])).toEqual([
      ['control', 'P1.tif', 2],
      ['control', 'P2.tif', 5],
      ['HP', 'P1.tif', 10],
      ['HP', 'P2.tif', 25],
      ['HP', 'single.tif', 7],
    ]);
    expect(s.groups[1]!.stats.mean).toBe(14); // (10 + 25 + 7) / 3
    expect(s.groups[1]!.foldChange).toBe(4); // 14 / 3.5
    const each = summarizeStudy(used, { averageReplicates: true, unitBy: 'observation' });
    expect(each.units.map((u) => u.unit).slice(0, 2)).toEqual(['P1.tif A1', 'P1.tif A2']);
  });

  it('orders groups: preferred, control, first appearance, none last', () => {
    expect(orderGroups(['b', null, 'a', 'c', 'b'], ['c', 'zz'], 'a')).toEqual(['c', 'a', 'b', null]);
  });
});
