/**
 * Stain models: unit OD vectors (R, G, B) and how mineral stain is separated from the rest.
 *
 * A transmitted-light pixel's OD vector is (to first order) a non-negative mix of stain vectors
 * (Beer–Lambert). Colour deconvolution (Ruifrok & Johnston 2001, Anal Quant Cytol Histol 23:291)
 * inverts the 3×3 matrix of [mineral stain, counterstain, third vector] and keeps the mineral row:
 * amount = row · OD, in units of |OD| along the unit mineral vector.
 *
 * - Alizarin Red S: the third vector is the scattering loss of unstained tissue / cell layers,
 *   which is close to neutral but bluish; it absorbs the neutral shading and the tissue's own OD.
 * - von Kossa: silver is almost neutral black, as are shadows; the third vector is the
 *   cross product of silver and the counterstain (a pure residual). Neutral shadows therefore land
 *   in the silver channel and are removed spatially (background / rim correction), which is why the
 *   von Kossa model has `neutralMineral: true`.
 *
 * Models are versioned: a released id (`alizarin-red-s/1`) never changes its numbers; a new
 * estimate gets a new version and recipes keep naming the one they were validated with.
 */
import { AppError } from '../common/errors.js';
import type { Rgb } from './od.js';

export interface StainModel {
  readonly id: string;
  readonly name: string;
  /** Short name for menus, and what the two vectors are called in the vector editor. */
  readonly label: string;
  readonly mineralName: string;
  readonly counterstainName: string;
  readonly mineral: Rgb;
  readonly counterstain: Rgb;
  /** null → use the cross product of mineral and counterstain (pure residual). */
  readonly third: Rgb | null;
  /** Mineral stain is (nearly) neutral, so neutral shading must be removed spatially. */
  readonly neutralMineral: boolean;
  /**
   * OD of the strongest channel per unit mineral amount; used to place the deposit edge at the
   * half-way point in transmittance between background and deposit.
   */
  readonly edgeOdPerUnit: number;
  /** Default minimum contrast (mineral amount above local background) of a deposit. */
  readonly minContrast: number;
  readonly sources: readonly string[];
}

export function normalize(v: Rgb): Rgb {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new RangeError('stain vector must not be zero');
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function cross(a: Rgb, b: Rgb): Rgb {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

const HEMATOXYLIN: Rgb = normalize([0.65, 0.7, 0.29]);
const NUCLEAR_FAST_RED: Rgb = normalize([0.214, 0.851, 0.478]);
const SCATTER: Rgb = normalize([0.45, 0.57, 0.69]);

export const COUNTERSTAINS = {
  hematoxylin: HEMATOXYLIN,
  'nuclear-fast-red': NUCLEAR_FAST_RED,
  none: SCATTER,
} as const satisfies Record<string, Rgb>;
export type CounterstainName = keyof typeof COUNTERSTAINS;

export const STAIN_MODELS: Readonly<Record<string, StainModel>> = {
  'alizarin-red-s/1': {
    id: 'alizarin-red-s/1',
    name: 'Alizarin Red S (calcium), hematoxylin or no counterstain',
    label: 'Alizarin Red S (calcium)',
    mineralName: 'Alizarin Red S',
    counterstainName: 'Hematoxylin',
    mineral: normalize([0.12, 0.66, 0.74]),
    counterstain: HEMATOXYLIN,
    third: SCATTER,
    neutralMineral: false,
    edgeOdPerUnit: 0.74,
    minContrast: 0.18,
    sources: [
      'Alizarin Red S–calcium lake absorbs blue and green (orange-red deposits, dense deposit ≈ RGB 185,40,30); vector estimated for Calciquant (no published vector), as in shared/tools/README.md.',
      'Hematoxylin: Ruifrok & Johnston 2001 (Anal Quant Cytol Histol 23:291), scikit-image rgb_from_hed.',
      'Unstained tissue scattering loss: estimated pseudo-absorber, larger at short wavelengths.',
    ],
  },
  'von-kossa/1': {
    id: 'von-kossa/1',
    name: 'von Kossa (silver phosphate), nuclear fast red or no counterstain',
    label: 'von Kossa (silver phosphate)',
    mineralName: 'Silver',
    counterstainName: 'Nuclear fast red',
    mineral: normalize([0.55, 0.58, 0.6]),
    counterstain: NUCLEAR_FAST_RED,
    third: null,
    neutralMineral: true,
    edgeOdPerUnit: 0.6,
    minContrast: 0.35,
    sources: [
      'Metallic silver: near-neutral black, slightly more blue absorption (brown-black); estimated for Calciquant.',
      'Nuclear fast red: no published vector; the Fast Red vector of Landini’s Colour Deconvolution plugin (scikit-image rgb_from_rbd) is used as a proxy (both pink-red, λmax ≈ 520–540 nm).',
    ],
  },
};

export const PRESET_MODEL_IDS = { alizarin: 'alizarin-red-s/1', vonkossa: 'von-kossa/1' } as const;

/** Inverse of the 3×3 matrix whose columns are a, b, c; returns its first row (the a-amount row). */
export function deconvolutionRow(a: Rgb, b: Rgb, c: Rgb): Rgb {
  // rows of the inverse are (b×c, c×a, a×b) / det
  const bc = cross(b, c);
  const det = a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2];
  if (Math.abs(det) < 1e-6) throw new RangeError('stain vectors are (nearly) linearly dependent');
  return [bc[0] / det, bc[1] / det, bc[2] / det];
}

/** Row that maps an OD vector to the mineral amount for this model. */
export function mineralRow(model: Pick<StainModel, 'mineral' | 'counterstain' | 'third'>): Rgb {
  const m = normalize(model.mineral);
  const c = normalize(model.counterstain);
  const third = model.third ? normalize(model.third) : normalize(cross(m, c));
  return deconvolutionRow(m, c, third);
}

/** |sin| of the angle between two vectors; near 0 means deconvolution cannot tell them apart. */
export function separationSin(a: Rgb, b: Rgb): number {
  const x = cross(normalize(a), normalize(b));
  return Math.hypot(x[0], x[1], x[2]);
}

export interface StainParams {
  readonly model: string;
  readonly mineralRgb?: Rgb | undefined;
  readonly counterstainRgb?: Rgb | undefined;
  readonly thirdRgb?: Rgb | null | undefined;
  readonly neutralMineral?: boolean | undefined;
}

/**
 * The stain model a recipe step asks for: a released model, optionally with its vectors replaced,
 * or a custom model. Throws RECIPE_INVALID (as an AppError-like RangeError message) when the
 * vectors cannot be separated.
 */
export function resolveStainModel(p: StainParams): StainModel {
  const base = p.model === 'custom' ? null : STAIN_MODELS[p.model];
  if (p.model !== 'custom' && !base) {
    throw new AppError(
      'RECIPE_INVALID',
      `Unknown stain model “${p.model}”. Use one of ${Object.keys(STAIN_MODELS).join(', ')} or "custom".`,
    );
  }
  const mineral = normalize(p.mineralRgb ?? base!.mineral);
  const counterstain = normalize(p.counterstainRgb ?? base!.counterstain);
  const third = p.thirdRgb === undefined ? (base ? base.third : null) : p.thirdRgb && normalize(p.thirdRgb);
  const model: StainModel = {
    id: p.mineralRgb || p.counterstainRgb || p.thirdRgb !== undefined || !base ? `custom(${base?.id ?? 'none'})` : base.id,
    name: base?.name ?? 'Custom stain',
    label: base?.label ?? 'Custom stain',
    mineralName: base?.mineralName ?? 'Mineral',
    counterstainName: base?.counterstainName ?? 'Counterstain',
    mineral,
    counterstain,
    third,
    neutralMineral: p.neutralMineral ?? base?.neutralMineral ?? separationSin(mineral, [1, 1, 1]) < 0.2,
    edgeOdPerUnit: base && !p.mineralRgb ? base.edgeOdPerUnit : Math.max(...mineral),
    minContrast: base?.minContrast ?? 0.2,
    sources: base?.sources ?? ['User-supplied stain vectors.'],
  };
  if (separationSin(mineral, counterstain) < 0.1) {
    throw new AppError(
      'RECIPE_INVALID',
      'The mineral and counterstain vectors are almost the same colour (less than 6° apart), so they cannot be separated. Check the stain vectors.',
    );
  }
  try {
    mineralRow(model);
  } catch {
    throw new AppError('RECIPE_INVALID', 'The three stain vectors are linearly dependent. Check the stain vectors.');
  }
  return model;
}
