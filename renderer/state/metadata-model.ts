/**
 * Sample metadata as the renderer handles it (pure functions, no store): keys per image or well,
 * field states of a multi-selection (same / mixed / empty), the local effect of a MetaPatch, groups
 * of an image, and blinded mode's neutral codes and stable random order.
 */
import type { ImageEntry, ImageId, MetadataEntry, MetaPatch } from '../../src/common/api.js';
import { SAMPLE_META_FIELDS, type SampleMeta, type SampleMetaField } from '../../src/common/sample-meta.js';

/** Metadata by key: `<imageId>` for an image, `<imageId>#<well>` for one well, `<imageId>@<name>` for a region. */
export type MetaMap = Readonly<Record<string, SampleMeta>>;

export interface MetaTarget {
  readonly imageId: ImageId;
  readonly well?: string | null;
  /** A region's name: its label, or its id when unlabelled (the results' `region` column). */
  readonly region?: string | null;
}

export const metaKey = (imageId: ImageId | string, well?: string | null, region?: string | null): string =>
  well ? `${imageId}#${well}` : region ? `${imageId}@${region}` : imageId;

export const targetKey = (t: MetaTarget): string => metaKey(t.imageId, t.well, t.region);

/** The name a region's results and metadata go by. */
export const regionName = (r: { readonly id: string; readonly label?: string | undefined }): string => r.label ?? r.id;

export function toMetaMap(entries: readonly MetadataEntry[]): MetaMap {
  const out: Record<string, SampleMeta> = {};
  for (const e of entries) out[metaKey(e.imageId, e.well, e.region)] = e.meta;
  return out;
}

/** What a field shows for a selection: one value, several (mixed), or none. */
export type FieldState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'same'; readonly value: string }
  | { readonly kind: 'mixed'; readonly values: readonly string[]; readonly someEmpty: boolean };

export type SelectionMeta = { readonly [F in SampleMetaField]: FieldState };

/** Field-wise summary of many targets' metadata (multi-select in the library, several wells). */
export function summarizeSelection(metas: readonly (SampleMeta | undefined)[]): SelectionMeta {
  const out = {} as Record<SampleMetaField, FieldState>;
  for (const f of SAMPLE_META_FIELDS) {
    const raw = metas.map((m) => (m?.[f] ?? '').trim());
    const values = [...new Set(raw.filter((v) => v !== ''))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const someEmpty = raw.some((v) => v === '');
    out[f] =
      values.length === 0 ? { kind: 'empty' }
      : values.length === 1 && !someEmpty ? { kind: 'same', value: values[0]! }
      : { kind: 'mixed', values, someEmpty };
  }
  return out;
}

/** The metadata after the core applies `patch` to `keys` (a string sets a field, null clears it). */
export function applyPatch(map: MetaMap, keys: readonly string[], patch: MetaPatch): MetaMap {
  const out: Record<string, SampleMeta> = { ...map };
  for (const k of keys) {
    const next: Record<string, string> = { ...(out[k] as Record<string, string> | undefined) };
    for (const f of SAMPLE_META_FIELDS) {
      const v = patch[f];
      if (v === undefined) continue;
      if (v === null || v.trim() === '') delete next[f];
      else next[f] = v.trim();
    }
    if (Object.keys(next).length) out[k] = next as SampleMeta;
    else delete out[k];
  }
  return out;
}

/**
 * Images whose well metadata counts: every image while the recipe measures plates, else those with
 * per-well rows. (A plate map applies to the wells of every image; a photo that is no plate has none.)
 */
export function wellMetaImages(isPlateReference: boolean, rows: readonly { imageId: ImageId | null; detail?: boolean; result: { well?: string | null } }[]): 'all' | ReadonlySet<string> {
  if (isPlateReference) return 'all';
  return new Set(rows.filter((r) => r.detail && r.result.well && r.imageId).map((r) => r.imageId!));
}

/**
 * Groups of an image: its own group and its regions' groups, else (no own group) the distinct groups
 * of its wells (natural order).
 */
export function groupsOfImage(map: MetaMap, imageId: ImageId, wells: 'all' | ReadonlySet<string> = 'all'): readonly string[] {
  const own = map[imageId]?.group?.trim();
  const wellPrefix = `${imageId}#`, regionPrefix = `${imageId}@`;
  const set = new Set<string>(own ? [own] : []);
  const countWells = !own && (wells === 'all' || wells.has(imageId));
  for (const [k, m] of Object.entries(map)) {
    if (!m.group?.trim()) continue;
    if (k.startsWith(regionPrefix) || (countWells && k.startsWith(wellPrefix))) set.add(m.group.trim());
  }
  return [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Every group named anywhere in the metadata (natural order). */
export function allGroups(map: MetaMap): readonly string[] {
  const set = new Set<string>();
  for (const m of Object.values(map)) if (m.group?.trim()) set.add(m.group.trim());
  return [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Okabe–Ito (colour-blind safe) for groups; grey for "no group". */
export const GROUP_PALETTE = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#0072B2', '#D55E00', '#999999'] as const;
export const NO_GROUP_COLOR = '#6b7480';

/** The colour of a group: by its rank among all groups, so the library and the charts agree. */
export function groupColor(group: string | null, groups: readonly string[]): string {
  if (group === null) return NO_GROUP_COLOR;
  const i = groups.indexOf(group);
  return GROUP_PALETTE[(i < 0 ? hash32(group) : i) % GROUP_PALETTE.length]!;
}

/** FNV-1a, 32 bit. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A neutral code for an image in blinded mode (4 characters, no 0/O/1/I), stable for one salt. */
export function blindCode(salt: string, imageId: string): string {
  let h = hash32(`${salt}:${imageId}`);
  let code = '';
  for (let i = 0; i < 4; i++) {
    code += CODE_ALPHABET[h % 32];
    h = Math.floor(h / 32);
  }
  return code;
}

/** Codes of many images; a rare clash gets a suffix so that every code is unique. */
export function blindCodes(salt: string, ids: readonly string[]): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...ids].sort()) {
    let code = blindCode(salt, id);
    for (let k = 2; used.has(code); k++) code = `${blindCode(salt, id)}-${k}`;
    used.add(code);
    out.set(id, code);
  }
  return out;
}

/** Random but stable order for blinded review: by a salted hash of the id (not the name, not the group). */
export function blindOrder<T extends Pick<ImageEntry, 'id'>>(salt: string, images: readonly T[]): T[] {
  const key = new Map(images.map((i) => [i.id, hash32(`order:${salt}:${i.id}`)] as const));
  return [...images].sort((a, b) => key.get(a.id)! - key.get(b.id)! || (a.id < b.id ? -1 : 1));
}

/** A fresh salt for blinded codes. */
export function newBlindSalt(): string {
  const a = new Uint32Array(2);
  globalThis.crypto.getRandomValues(a);
  return `${a[0]!.toString(36)}${a[1]!.toString(36)}`;
}
