/**
 * Study statistics of mineral % (issue 5): observations (images, wells or regions) → units
 * (animal / donor, else the image: a plate's wells of one condition, a section's regions) → groups.
 *
 * With `averageReplicates` each unit's observations are averaged first and the group statistics
 * are over unit means (n = units); without, over all observations (n = observations).
 * Fold change is over the control group's mean on the same basis. Failed observations
 * (mineralPct null or not finite) are counted as excluded and never enter a statistic.
 * Output never holds NaN or ±Infinity: what cannot be computed is null.
 */
import type { SampleMeta, SampleType } from '../common/sample-meta.js';
import type { DescriptiveStats } from '../common/descriptive-stats.js';

export type ObservationLevel = 'image' | 'well' | 'region';

export interface Observation {
  readonly level: ObservationLevel;
  readonly image: string;
  readonly well?: string | null;
  /** Region label or id, for level 'region'. */
  readonly region?: string | null;
  readonly mineralPct: number | null;
  readonly meta: SampleMeta;
}

export type { DescriptiveStats } from '../common/descriptive-stats.js';

/** What a unit is: the animal/donor when given, else the image (default); or always the image; or each observation. */
export type UnitBy = 'animal-or-image' | 'image' | 'observation';
export type UnitKind = 'animal' | 'image' | 'observation';

export interface StudyOptions {
  /** Average technical replicates per unit before the group statistics (the user decides). */
  readonly averageReplicates: boolean;
  readonly unitBy?: UnitBy;
  /** Group whose mean is 1 in fold changes; null/absent: no fold change. */
  readonly controlGroup?: string | null;
  /** Groups in this order first; then the control, then the others as they first appear; no group last. */
  readonly groupOrder?: readonly string[];
}

export interface ObservationSummary<T extends Observation = Observation> {
  readonly observation: T;
  /** Trimmed group name; null when the observation has none. */
  readonly group: string | null;
  readonly unit: string;
  readonly unitKind: UnitKind;
  /** mineralPct / control group mean. */
  readonly foldChange: number | null;
}

export interface UnitSummary {
  readonly group: string | null;
  readonly unit: string;
  readonly unitKind: UnitKind;
  /** The sample type all its observations share, else null. */
  readonly sampleType: SampleType | null;
  readonly nObservations: number;
  /** Observations without a usable mineral %. */
  readonly nExcluded: number;
  /** Over the unit's observations. */
  readonly stats: DescriptiveStats;
  /** Unit mean / control group mean. */
  readonly foldChange: number | null;
}

export interface GroupSummary {
  readonly group: string | null;
  readonly isControl: boolean;
  readonly sampleType: SampleType | null;
  /** Units with a mean. */
  readonly nUnits: number;
  /** Observations with a mineral %. */
  readonly nObservations: number;
  readonly nExcluded: number;
  /** What `stats.n` counts. */
  readonly basis: 'units' | 'observations';
  readonly stats: DescriptiveStats;
  /** Group mean / control mean (ratio of means). */
  readonly foldChange: number | null;
  /** Group SD / control mean: the SD of the per-sample fold changes. */
  readonly foldChangeSd: number | null;
}

export interface StudySummary<T extends Observation = Observation> {
  readonly options: Required<StudyOptions> & { readonly controlGroup: string | null };
  /** In group order, then input order. */
  readonly observations: readonly ObservationSummary<T>[];
  readonly units: readonly UnitSummary[];
  readonly groups: readonly GroupSummary[];
  /** Plain-words remarks (control group missing, control mean zero). */
  readonly warnings: readonly string[];
}

/** n, mean, SD (n − 1), SEM, median, min, max of the finite values. */
export function describe(values: readonly number[]): DescriptiveStats {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, sem: null, median: null, min: null, max: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { n, mean, sd, sem: sd === null ? null : sd / Math.sqrt(n), median, min: xs[0]!, max: xs[n - 1]! };
}

/** a / b, or null when either is null or the result is not finite. */
export function safeRatio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  const r = a / b;
  return Number.isFinite(r) ? r : null;
}

const usableValue = (o: Observation): number | null =>
  o.mineralPct !== null && Number.isFinite(o.mineralPct) ? o.mineralPct : null;

export function groupOf(o: Observation): string | null {
  const g = o.meta.group?.trim();
  return g === undefined || g === '' ? null : g;
}

/** Unit of an observation: its id and kind. */
export function unitOf(o: Observation, unitBy: UnitBy): { unit: string; unitKind: UnitKind } {
  const animal = o.meta.animal?.trim();
  if (unitBy === 'animal-or-image' && animal !== undefined && animal !== '') return { unit: animal, unitKind: 'animal' };
  if (unitBy === 'observation') {
    const sub = o.well ?? o.region;
    return { unit: sub == null ? o.image : `${o.image} ${sub}`, unitKind: 'observation' };
  }
  return { unit: o.image, unitKind: 'image' };
}

/** Group order: `preferred` first, then the control, then first appearance; null (no group) last. */
export function orderGroups(seen: readonly (string | null)[], preferred: readonly string[], control: string | null): (string | null)[] {
  const present = new Set(seen);
  const order: (string | null)[] = [];
  const add = (g: string | null): void => {
    if (present.has(g) && !order.includes(g)) order.push(g);
  };
  preferred.forEach(add);
  add(control);
  seen.forEach((g) => g !== null && add(g));
  add(null);
  return order;
}

function commonSampleType(obs: readonly Observation[]): SampleType | null {
  const types = new Set(obs.map((o) => o.meta.sampleType ?? null));
  return types.size === 1 ? [...types][0]! : null;
}

/** The hierarchical summary of a study: observations → units → groups, with fold changes. */
export function summarizeStudy<T extends Observation>(observations: readonly T[], o: StudyOptions): StudySummary<T> {
  const options = {
    averageReplicates: o.averageReplicates,
    unitBy: o.unitBy ?? 'animal-or-image',
    controlGroup: o.controlGroup?.trim() || null,
    groupOrder: o.groupOrder ?? [],
  } as const;
  const tagged = observations.map((obs) => ({ obs, group: groupOf(obs), ...unitOf(obs, options.unitBy) }));
  const order = orderGroups(tagged.map((t) => t.group), options.groupOrder, options.controlGroup);
  const rank = (g: string | null): number => order.indexOf(g);
  const sorted = tagged.map((t, i) => ({ ...t, i })).sort((a, b) => rank(a.group) - rank(b.group) || a.i - b.i);

  const unitMap = new Map<string, typeof sorted>();
  for (const t of sorted) {
    const key = JSON.stringify([t.group, t.unitKind, t.unit]);
    unitMap.set(key, [...(unitMap.get(key) ?? []), t]);
  }
  const unitStats = [...unitMap.values()].map((members) => ({
    members,
    stats: describe(members.flatMap((m) => usableValue(m.obs) ?? [])),
  }));

  const groupStats = order.map((group) => {
    const units = unitStats.filter((u) => u.members[0]!.group === group);
    const obsValues = units.flatMap((u) => u.members.flatMap((m) => usableValue(m.obs) ?? []));
    const unitMeans = units.flatMap((u) => u.stats.mean ?? []);
    const nExcluded = units.reduce((s, u) => s + u.members.length - u.stats.n, 0);
    const members = units.flatMap((u) => u.members.map((m) => m.obs));
    const stats = describe(options.averageReplicates ? unitMeans : obsValues);
    return { group, nUnits: unitMeans.length, nObservations: obsValues.length, nExcluded, stats, members };
  });

  const warnings: string[] = [];
  const controlMean = controlMeanOf(groupStats, options.controlGroup, warnings);

  return {
    options,
    observations: sorted.map((t) => ({
      observation: t.obs,
      group: t.group,
      unit: t.unit,
      unitKind: t.unitKind,
      foldChange: safeRatio(usableValue(t.obs), controlMean),
    })),
    units: unitStats.map(({ members, stats }) => ({
      group: members[0]!.group,
      unit: members[0]!.unit,
      unitKind: members[0]!.unitKind,
      sampleType: commonSampleType(members.map((m) => m.obs)),
      nObservations: members.length,
      nExcluded: members.length - stats.n,
      stats,
      foldChange: safeRatio(stats.mean, controlMean),
    })),
    groups: groupStats.map((g) => ({
      group: g.group,
      isControl: g.group !== null && g.group === options.controlGroup,
      sampleType: commonSampleType(g.members),
      nUnits: g.nUnits,
      nObservations: g.nObservations,
      nExcluded: g.nExcluded,
      basis: options.averageReplicates ? 'units' : 'observations',
      stats: g.stats,
      foldChange: safeRatio(g.stats.mean, controlMean),
      foldChangeSd: safeRatio(g.stats.sd, controlMean),
    })),
    warnings,
  };
}

function controlMeanOf(
  groups: readonly { group: string | null; stats: DescriptiveStats }[],
  control: string | null,
  warnings: string[],
): number | null {
  if (control === null) return null;
  const g = groups.find((x) => x.group === control);
  if (g === undefined) {
    warnings.push(`The control group “${control}” has no samples, so no fold changes were computed. Check the group names.`);
    return null;
  }
  if (g.stats.mean === null || g.stats.mean === 0) {
    const why = g.stats.mean === null ? 'has no successful measurement' : 'has a mean of 0 % mineral';
    warnings.push(`The control group “${control}” ${why}, so fold changes cannot be computed.`);
    return null;
  }
  return g.stats.mean;
}

/**
 * The observations that feed the statistics, so that nothing is counted twice: per image its
 * wells when it has well rows, else its regions when it has region rows, else the image row.
 */
export function selectStatisticalObservations<T extends Observation>(rows: readonly T[]): T[] {
  const levelsByImage = new Map<string, Set<ObservationLevel>>();
  for (const r of rows) levelsByImage.set(r.image, (levelsByImage.get(r.image) ?? new Set()).add(r.level));
  return rows.filter((r) => {
    const levels = levelsByImage.get(r.image)!;
    const finest: ObservationLevel = levels.has('well') ? 'well' : levels.has('region') ? 'region' : 'image';
    return r.level === finest;
  });
}
