/**
 * Regions of interest (ROIs): one vector representation for every drawing tool and every import.
 *
 * Coordinates are full-resolution image pixels (`ImagePx`): origin at the top-left corner of the
 * image, x to the right, y down. Pixel (i, j) covers [i, i+1) × [j, j+1) and belongs to a region
 * when its centre (i + ½, j + ½) is inside (the rasterizer's rule, src/pipeline/rasterize.ts).
 *
 * Geometry is a GeoJSON-compatible MultiPolygon: a list of polygons, each a list of closed rings
 * (first position repeated last), the outer ring first, then holes. Geometry made by
 * `roi-geometry.ts` is *valid*: polygons do not overlap, rings do not cross, the outer ring has a
 * positive shoelace area ½·Σ(xᵢ·yᵢ₊₁ − xᵢ₊₁·yᵢ) (counter-clockwise with y up, i.e. clockwise on
 * screen where y points down — the orientation polygon-clipping writes) and holes a negative one.
 * Readers never rely on orientation: areas and rasterization use absolute ring areas / even–odd.
 *
 * Isomorphic: zod only.
 */
import { z } from 'zod';
import { AppError } from './errors.js';

export type RoiId = string & { readonly __brand: 'RoiId' };
/** A coordinate in full-resolution image pixels. */
export type ImagePx = number & { readonly __brand: 'ImagePx' };

export type Position = readonly [x: ImagePx, y: ImagePx];
/** Closed ring: the last position repeats the first. */
export type Ring = readonly Position[];
/** Outer ring first, then holes. */
export type Polygon = readonly Ring[];
export type MultiPolygon = readonly Polygon[];

export const ROI_ROLES = ['include', 'exclude'] as const;
export const ROI_TOOLS = ['polygon', 'freehand', 'rectangle', 'ellipse', 'brush'] as const;
export type RoiRole = (typeof ROI_ROLES)[number];
export type RoiTool = (typeof ROI_TOOLS)[number];

export type Roi = Readonly<{
  id: RoiId;
  role: RoiRole;
  /** The tool that made the region (imports map to the closest one); geometry is the same kind for all. */
  tool: RoiTool;
  label?: string;
  /** `#rrggbb`. */
  colour?: string;
  /** Display only: hidden regions still count in the analysis. */
  hidden?: boolean;
  geometry: MultiPolygon;
}>;

export interface AnnotationFile {
  readonly schemaVersion: 1;
  readonly rois: readonly Roi[];
}

/** Limits against hostile or corrupt files. */
export const ROI_LIMITS = {
  maxRois: 10_000,
  maxVerticesPerRoi: 1_000_000,
  maxVerticesPerFile: 5_000_000,
  maxAbsCoordPx: 1e7,
  maxLabelChars: 200,
  maxIdChars: 64,
} as const;

const ROI_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function isRoiId(s: unknown): s is RoiId {
  return typeof s === 'string' && s.length >= 1 && s.length <= ROI_LIMITS.maxIdChars && ROI_ID_PATTERN.test(s);
}

/** A fresh random id (UUID v4). */
export function newRoiId(): RoiId {
  return globalThis.crypto.randomUUID() as RoiId;
}

/** Counts vertices and checks the structure of a MultiPolygon; returns a problem or the count. */
export function checkMultiPolygon(g: unknown): { problem: string } | { vertices: number } {
  if (!Array.isArray(g)) return { problem: 'geometry is not a list of polygons' };
  if (g.length === 0) return { problem: 'geometry is empty' };
  let vertices = 0;
  for (const poly of g) {
    if (!Array.isArray(poly) || poly.length === 0) return { problem: 'a polygon is not a non-empty list of rings' };
    for (const ring of poly) {
      if (!Array.isArray(ring)) return { problem: 'a ring is not a list of [x, y] positions' };
      if (ring.length < 4) return { problem: 'a ring has fewer than 3 distinct points' };
      vertices += ring.length;
      if (vertices > ROI_LIMITS.maxVerticesPerRoi) return { problem: `more than ${ROI_LIMITS.maxVerticesPerRoi.toLocaleString('en')} vertices` };
      for (const p of ring) {
        if (!Array.isArray(p) || p.length !== 2) return { problem: 'a position is not [x, y]' };
        const [x, y] = p as unknown[];
        if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
          return { problem: 'a coordinate is not a finite number' };
        }
        if (Math.abs(x) > ROI_LIMITS.maxAbsCoordPx || Math.abs(y) > ROI_LIMITS.maxAbsCoordPx) {
          return { problem: 'a coordinate is far outside any image' };
        }
      }
      const a = ring[0] as number[], b = ring[ring.length - 1] as number[];
      if (a[0] !== b[0] || a[1] !== b[1]) return { problem: 'a ring is not closed (last position must repeat the first)' };
    }
  }
  return { vertices };
}

/** Checked by hand (not zod per position): files may hold millions of vertices. */
export const multiPolygonSchema = z.unknown().transform((g, ctx): MultiPolygon => {
  const r = checkMultiPolygon(g);
  if ('problem' in r) ctx.addIssue({ code: 'custom', message: r.problem });
  return g as MultiPolygon;
});

export const roiIdSchema = z
  .string()
  .refine(isRoiId, `must be 1–${ROI_LIMITS.maxIdChars} letters, digits, "-" or "_"`)
  .transform((s) => s as RoiId);

export const roiSchema = z.strictObject({
  id: roiIdSchema,
  role: z.enum(ROI_ROLES),
  tool: z.enum(ROI_TOOLS),
  label: z.string().max(ROI_LIMITS.maxLabelChars).optional(),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb').optional(),
  hidden: z.boolean().optional(),
  geometry: multiPolygonSchema,
});

export const annotationFileSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    rois: z.array(roiSchema).max(ROI_LIMITS.maxRois),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    let vertices = 0;
    f.rois.forEach((roi, i) => {
      if (seen.has(roi.id)) ctx.addIssue({ code: 'custom', path: ['rois', i, 'id'], message: 'is used by another region' });
      seen.add(roi.id);
      const c = checkMultiPolygon(roi.geometry);
      if ('vertices' in c) vertices += c.vertices;
    });
    if (vertices > ROI_LIMITS.maxVerticesPerFile) {
      ctx.addIssue({ code: 'custom', path: ['rois'], message: `more than ${ROI_LIMITS.maxVerticesPerFile.toLocaleString('en')} vertices in total` });
    }
  });

/** “region 3 (“media”)”, “region (id …)” — how messages name a ROI, from the raw document. */
function describeRoi(raw: unknown, index: number | null): string {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { label?: unknown; id?: unknown };
  const label = typeof r.label === 'string' && r.label ? `“${r.label.slice(0, 40)}”` : null;
  const id = typeof r.id === 'string' && r.id ? `id ${r.id.slice(0, 40)}` : null;
  const who = label ?? id;
  return `region${index === null ? '' : ` ${index + 1}`}${who ? ` (${who})` : ''}`;
}

function describeIssue(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): string {
  return path.length ? `${path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function formatFileIssues(doc: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const rois = (doc as { rois?: unknown } | null)?.rois;
  return issues
    .slice(0, 3)
    .map((issue) => {
      const [first, index, ...rest] = issue.path;
      if (first === 'rois' && typeof index === 'number') {
        const raw = Array.isArray(rois) ? rois[index] : undefined;
        return `${describeRoi(raw, index)}: ${describeIssue(issue, rest)}`;
      }
      return `${issue.path.map(String).join('.') || 'file'}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates a parsed `rois.json`; throws ROI_INVALID naming the file and the bad region. */
export function parseAnnotationFile(doc: unknown, source: string): AnnotationFile {
  const r = annotationFileSchema.safeParse(doc);
  if (r.success) return r.data;
  throw new AppError(
    'ROI_INVALID',
    `Region file “${source}” is invalid — ${formatFileIssues(doc, r.error.issues)}. Restore the previous version of the file (kept as .bak) or redraw the regions.`,
  );
}

/** Validates one ROI (e.g. sent by the renderer); throws ROI_INVALID naming it and `source`. */
export function parseRoi(raw: unknown, source: string): Roi {
  const r = roiSchema.safeParse(raw);
  if (r.success) return r.data;
  const what = r.error.issues.slice(0, 3).map((i) => describeIssue(i, i.path)).join('; ');
  throw new AppError('ROI_INVALID', `The ${describeRoi(raw, null)} from “${source}” is invalid — ${what}. Redraw the region.`);
}
