/**
 * The analysis recipe: every parameter of an analysis as one versioned JSON document.
 *
 *   { "format": "calciquant-recipe", "schemaVersion": 1, "id": "…", "name": "…",
 *     "steps": [ { "op": "stain.separate", "params": { … } }, … ] }
 *
 * Steps appear at most once each, in pipeline order (STEP_ORDER); `stain.separate` and `threshold`
 * are required. Loading = parse → migrate stepwise to CURRENT_SCHEMA_VERSION → validate; a newer
 * document is refused with RECIPE_TOO_NEW; validation messages name the step and the parameter.
 * Isomorphic (zod only): used by the core, the CLI and the UI.
 */
import { z } from 'zod';
import { AppError } from './errors.js';

export const RECIPE_FORMAT = 'calciquant-recipe';
export const CURRENT_SCHEMA_VERSION = 1;

const unitOd = z.number().min(0).max(10);
const rgbVector = z
  .tuple([unitOd, unitOd, unitOd])
  .refine((v) => Math.hypot(v[0], v[1], v[2]) > 1e-3, 'a stain vector must not be zero');
const rgbFrac = z.tuple([z.number().gt(0).max(1), z.number().gt(0).max(1), z.number().gt(0).max(1)]);

export const REFERENCE_KINDS = ['image', 'tissue', 'well', 'plate', 'region'] as const;
export const PLATE_LAYOUTS_ACCEPTED = ['auto', 6, 12, 24, 48, 96] as const;

const illuminationStep = z.strictObject({
  op: z.literal('illumination.white'),
  params: z.strictObject({
    /** auto: white point (and flat field) estimated from the bright background; fixed: whiteRgbFrac. */
    method: z.enum(['auto', 'fixed']),
    flatField: z.boolean().default(true),
    whiteRgbFrac: rgbFrac.optional(),
  }),
});

const referenceStep = z.strictObject({
  op: z.literal('reference.detect'),
  params: z.strictObject({
    kind: z.enum(REFERENCE_KINDS),
    /** plate: the layout to look for (auto = detect 6/12/24/48/96). */
    plateLayout: z.union([z.literal('auto'), z.literal(6), z.literal(12), z.literal(24), z.literal(48), z.literal(96)]).optional(),
    /** well/plate: drop a ring along each well's edge (meniscus, peeled rim), as a fraction of the radius… */
    edgeExclusionFrac: z.number().min(0).max(0.9).optional(),
    /** … or as a distance in µm (needs a calibrated image). */
    edgeExclusionUm: z.number().min(0).max(100_000).optional(),
  }),
});

const stainStep = z.strictObject({
  op: z.literal('stain.separate'),
  params: z.strictObject({
    /** A versioned model id from STAIN_MODELS, or 'custom' (then mineralRgb and counterstainRgb are required). */
    model: z.string().min(1).max(64),
    mineralRgb: rgbVector.optional(),
    counterstainRgb: rgbVector.optional(),
    /** Third deconvolution vector; null = residual (cross product). */
    thirdRgb: rgbVector.nullable().optional(),
    /** Mineral stain is nearly neutral (like silver): needs spatial shading correction. */
    neutralMineral: z.boolean().optional(),
  }),
});

const backgroundStep = z.strictObject({
  op: z.literal('background.subtract'),
  params: z.strictObject({
    /** Gaussian σ of the local background as a fraction of the longer image side. */
    scaleFrac: z.number().min(0.002).max(0.25).default(0.02),
    /** Meniscus/rim shading correction: auto = on for the automatic well and for disc-shaped parts of a region (plate wells); never for tissue. */
    rim: z.enum(['auto', 'off']).default('auto'),
    /** Width of the rim band examined, as a fraction of the well radius. */
    rimBandFrac: z.number().min(0.02).max(0.5).default(0.2),
  }),
});

const thresholdStep = z.strictObject({
  op: z.literal('threshold'),
  params: z.discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('local-contrast'),
      /** Minimum deposit contrast above the local background, relative OD of the mineral stain. */
      minContrastOd: z.number().min(0.02).max(3),
      /** Radius within which a pixel looks for its deposit's level (≈ 2–3 × optical blur σ). */
      edgeRadiusPx: z.number().int().min(1).max(15).default(3),
    }),
    z.strictObject({ method: z.literal('otsu') }),
    z.strictObject({ method: z.literal('triangle') }),
    z.strictObject({ method: z.literal('fixed'), valueOd: z.number().min(-1).max(4) }),
  ]),
});

const openStep = z.strictObject({
  op: z.literal('morph.open'),
  params: z.strictObject({ radiusPx: z.number().int().min(1).max(20) }),
});

const removeSmallStep = z.strictObject({
  op: z.literal('objects.removeSmall'),
  params: z.union([
    z.strictObject({ minAreaPx: z.number().int().min(0).max(1_000_000) }),
    z.strictObject({ minAreaUm2: z.number().min(0).max(1e9) }),
  ]),
});

export const STEP_ORDER = [
  'illumination.white',
  'reference.detect',
  'stain.separate',
  'background.subtract',
  'threshold',
  'morph.open',
  'objects.removeSmall',
] as const;
export type StepOp = (typeof STEP_ORDER)[number];

const stepSchema = z.discriminatedUnion('op', [
  illuminationStep,
  referenceStep,
  stainStep,
  backgroundStep,
  thresholdStep,
  openStep,
  removeSmallStep,
]);
export type RecipeStep = z.infer<typeof stepSchema>;

export const recipeSchema = z
  .strictObject({
    format: z.literal(RECIPE_FORMAT),
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1–64 letters, digits, ".", "_" or "-"'),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    steps: z.array(stepSchema).min(2).max(STEP_ORDER.length),
  })
  .superRefine((r, ctx) => {
    const ops = r.steps.map((s) => s.op);
    let last = -1;
    ops.forEach((op, i) => {
      const pos = STEP_ORDER.indexOf(op);
      if (pos <= last) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i],
          message: `step "${op}" is repeated or out of order; the order is ${STEP_ORDER.join(' → ')}`,
        });
      }
      last = Math.max(last, pos);
    });
    for (const required of ['stain.separate', 'threshold'] as const) {
      if (!ops.includes(required)) ctx.addIssue({ code: 'custom', path: ['steps'], message: `a "${required}" step is required` });
    }
    r.steps.forEach((s, i) => {
      if (s.op === 'illumination.white' && s.params.method === 'fixed' && !s.params.whiteRgbFrac) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', 'whiteRgbFrac'], message: 'required when method is "fixed"' });
      }
      if (s.op === 'stain.separate' && s.params.model === 'custom' && (!s.params.mineralRgb || !s.params.counterstainRgb)) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'params'], message: 'model "custom" needs mineralRgb and counterstainRgb' });
      }
    });
  });
export type Recipe = z.infer<typeof recipeSchema>;
/** A recipe as written in a file, before defaults are applied. */
export type RecipeInput = z.input<typeof recipeSchema>;

/** Stepwise migrations: MIGRATIONS[n] turns a version-n document into version n+1. Frozen once released. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export { findStep } from './recipe-steps.js';

function describePath(doc: unknown, path: readonly PropertyKey[]): string {
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const steps = (doc as { steps?: unknown[] }).steps;
    const op = (steps?.[path[1]] as { op?: unknown } | undefined)?.op;
    const rest = path.slice(2).filter((p) => p !== 'params').map(String).join('.');
    return `step ${path[1] + 1}${typeof op === 'string' ? ` (${op})` : ''}${rest ? ` ${rest}` : ''}`;
  }
  return path.length ? path.map(String).join('.') : 'recipe';
}

/**
 * Migrates and validates a parsed recipe document. `source` names the file in messages.
 * Throws RECIPE_INVALID (message names the step and parameter) or RECIPE_TOO_NEW.
 */
export function parseRecipe(
  doc: unknown,
  source: string,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  currentVersion: number = CURRENT_SCHEMA_VERSION,
): Recipe {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new AppError('RECIPE_INVALID', `Recipe “${source}” is not a JSON object. Start from a preset in assets/recipes/.`);
  }
  let d = doc as Record<string, unknown>;
  if (d.format !== RECIPE_FORMAT) {
    throw new AppError('RECIPE_INVALID', `“${source}” is not a Calciquant recipe (its "format" must be "${RECIPE_FORMAT}").`);
  }
  const v = d.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new AppError('RECIPE_INVALID', `Recipe “${source}”: "schemaVersion" must be a whole number ≥ 1.`);
  }
  if (v > currentVersion) {
    throw new AppError(
      'RECIPE_TOO_NEW',
      `Recipe “${source}” was written by a newer Calciquant (schema ${v}; this version reads up to ${currentVersion}). Update Calciquant.`,
    );
  }
  for (let n = v; n < currentVersion; n++) {
    const m = migrations[n];
    if (!m) throw new AppError('INTERNAL', `No migration from recipe schema ${n} to ${n + 1}. Please report this.`);
    d = { ...m(d), schemaVersion: n + 1 };
  }
  const r = recipeSchema.safeParse(d);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 5).map((i) => `${describePath(d, i.path)}: ${i.message}`);
    throw new AppError('RECIPE_INVALID', `Recipe “${source}” is invalid — ${lines.join('; ')}.`);
  }
  return r.data;
}

/** JSON with object keys sorted at every level: equal recipes give equal text (and hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
