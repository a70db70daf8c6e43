/**
 * Sample metadata fields and their normalisation (no Node imports: usable in any host).
 * Header and pattern names are matched by `normalizeName` (case, spaces, `_`, `-`, `.`, `#` ignored).
 */

export const SAMPLE_TYPES = ['VSMC', 'iPSC-osteoblast', 'aortic tissue', 'other tissue'] as const;
export type SampleType = (typeof SAMPLE_TYPES)[number];

/** What the user told us about one image, well or region. Absent = not given. */
export type SampleMeta = {
  readonly sampleType?: SampleType;
  /** Group / condition / treatment, e.g. `control`, `high phosphate`. */
  readonly group?: string;
  /** Animal or donor id: the biological unit technical replicates are averaged over. */
  readonly animal?: string;
  readonly replicate?: string;
  readonly notes?: string;
};
export type SampleMetaField = keyof SampleMeta;
export const SAMPLE_META_FIELDS = ['sampleType', 'group', 'animal', 'replicate', 'notes'] as const satisfies readonly SampleMetaField[];

/** Lower case, without spaces, `_`, `-`, `.`, `#`, `(`, `)`: `Mouse ID` → `mouseid`. */
export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[\s_\-.#()]+/g, '');
}

/** Accepted column / pattern names per field, already normalised. */
const FIELD_ALIASES: { readonly [F in SampleMetaField]: readonly string[] } = {
  sampleType: ['sampletype', 'celltype', 'tissuetype', 'type'],
  group: ['group', 'groupname', 'condition', 'treatment'],
  animal: ['animal', 'animalid', 'donor', 'donorid', 'mouse', 'mouseid', 'rat', 'ratid', 'subject', 'subjectid'],
  replicate: ['replicate', 'replicateid', 'rep', 'technicalreplicate'],
  notes: ['notes', 'note', 'comment', 'comments', 'remarks'],
};

/** The metadata field a column header or `{name}` stands for, or null. */
export function metaFieldForName(name: string): SampleMetaField | null {
  const n = normalizeName(name);
  for (const field of SAMPLE_META_FIELDS) if (FIELD_ALIASES[field].includes(n)) return field;
  return null;
}

const SAMPLE_TYPE_ALIASES: ReadonlyMap<string, SampleType> = new Map([
  ['vsmc', 'VSMC'],
  ['vsmcs', 'VSMC'],
  ['vascularsmoothmusclecells', 'VSMC'],
  ['smc', 'VSMC'],
  ['ipscosteoblast', 'iPSC-osteoblast'],
  ['ipscosteoblasts', 'iPSC-osteoblast'],
  ['ipscderivedosteoblasts', 'iPSC-osteoblast'],
  ['osteoblast', 'iPSC-osteoblast'],
  ['osteoblasts', 'iPSC-osteoblast'],
  ['aortictissue', 'aortic tissue'],
  ['aorta', 'aortic tissue'],
  ['aortic', 'aortic tissue'],
  ['othertissue', 'other tissue'],
  ['tissue', 'other tissue'],
  ['other', 'other tissue'],
]);

/** `vsmc`, `Aorta`, `iPSC osteoblasts` … → the canonical SampleType; null when not recognised. */
export function normalizeSampleType(s: string): SampleType | null {
  return SAMPLE_TYPE_ALIASES.get(normalizeName(s)) ?? null;
}

/** Plate rows A–P (up to 384 wells), columns 1–24. */
const WELL_PATTERN = /^([A-Pa-p])\s*0*([1-9]\d?)$/;

/** `a01`, `A 1`, `A1` → `A1`; null when it is not a well id of a plate up to 384 wells. */
export function normalizeWellId(s: string): string | null {
  const m = WELL_PATTERN.exec(s.trim());
  if (m === null) return null;
  const column = Number(m[2]);
  return column <= 24 ? `${m[1]!.toUpperCase()}${column}` : null;
}

/** Field-wise merge: every non-empty field of a later source wins. */
export function mergeMeta(...sources: readonly (SampleMeta | null | undefined)[]): SampleMeta {
  const out: { -readonly [F in SampleMetaField]?: SampleMeta[F] } = {};
  for (const src of sources) {
    if (src == null) continue;
    for (const field of SAMPLE_META_FIELDS) {
      const v = src[field];
      if (v !== undefined && v !== '') (out as Record<string, unknown>)[field] = v;
    }
  }
  return out;
}

export function isEmptyMeta(m: SampleMeta): boolean {
  return SAMPLE_META_FIELDS.every((f) => m[f] === undefined || m[f] === '');
}

/** Last path segment (either separator). */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/** File name without its extension (`.ome.tif`, `.ome.tiff` count as one extension). */
export function stemName(fileName: string): string {
  const m = /^(.+?)(\.ome)?\.[A-Za-z][A-Za-z0-9]{0,4}$/i.exec(fileName);
  return m === null ? fileName : m[1]!;
}
