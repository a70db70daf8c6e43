/**
 * One image through the whole recipe: illumination → reference → stain amount → background and
 * rim correction → segmentation → clean-up → measurements. Pure: pixels in, masks and numbers out.
 */
import { AppError } from '../common/errors.js';
import type { Recipe } from '../common/recipe-schema.js';
import { findStep } from '../common/recipe-steps.js';
import type { ReferenceKind } from '../common/result.js';
import { extractRuns, removeSmallComponents, type Runs } from './components.js';
import { estimateIllumination, lowResRgb, type LowResRgb } from './illumination.js';
import { andMasks, openMaskDisc } from './morphology.js';
import { globalIllumination, projectOd, type Illumination } from './od.js';
import { projectOdReusing } from './od-reusing.js';
import { maskRowSpans, padRowSpans, type FloatMap, type Mask, type RgbImage } from './raster.js';
import { createRowSampler } from './lowres.js';
import { resolveReference, type RegionInput } from './reference.js';
import type { PlateLayout } from './reference/plate.js';
import { measureWells, type WellRow } from './wells.js';
import { circularComponents, correctRims } from './rim.js';
import { estimateBackground, segmentMineral, zeroBackground, type ThresholdParams } from './segment.js';
import type { LowResGrid } from './lowres.js';
import { mineralRow, resolveStainModel, type StainModel } from './stains.js';

export const MIN_IMAGE_SIDE_PX = 16;
/** Pixels around the reference whose stain amount is computed (3×3 means within the edge radius). */
const EDGE_MARGIN_PX = 20;

export interface AnalysisInput {
  readonly image: RgbImage;
  readonly pixelSizeUm: number | null;
  /** Overrides the recipe's reference kind (CLI --reference, UI choice). */
  readonly referenceKind?: ReferenceKind;
  /** User regions (rasterized), from --roi or drawn ROIs. */
  readonly region?: RegionInput;
  /** The file had one colour channel (grey): stains cannot be separated by colour. */
  readonly singleChannel?: boolean;
  /** Overrides the recipe's plate layout (CLI --plate). */
  readonly plateLayout?: 'auto' | PlateLayout;
  /** Wells set by the user for a plate reference (skip detection). */
  readonly plateWells?: readonly { readonly id: string; readonly cx: number; readonly cy: number; readonly radiusPx: number }[];
}

export interface AnalysisMeasurements {
  readonly reference: ReferenceKind;
  readonly referenceAreaPx: number;
  readonly mineralAreaPx: number;
  readonly mineralPct: number;
  readonly depositCount: number;
  /** Mean background-corrected mineral-stain amount in deposits (relative OD). */
  readonly meanOd: number | null;
  /** Sum of the same over deposit pixels (relative OD · px). */
  readonly integratedOd: number;
  readonly thresholdOd: number | null;
  readonly whiteFrac: readonly [number, number, number];
  readonly illumination: Illumination['source'];
  readonly stainModel: string;
  readonly notes: readonly string[];
  /** Things the user should know about this result. */
  readonly warnings: readonly string[];
}

export interface AnalysisOutput {
  readonly reference: Mask;
  readonly mineral: Mask;
  /** Per-well rows of a plate reference (row-major, A1 first). */
  readonly wells?: readonly WellRow[];
  /** The plate's wells (geometry in this image's pixels). */
  readonly plate?: { readonly layout: number; readonly wells: readonly { readonly id: string; readonly cx: number; readonly cy: number; readonly radiusPx: number; readonly found: boolean }[] };
  readonly measurements: AnalysisMeasurements;
}

function illuminationFor(image: RgbImage, recipe: Recipe, lowRes: LowResRgb): Illumination {
  const step = findStep(recipe, 'illumination.white');
  if (step?.params.method === 'fixed' && step.params.whiteRgbFrac) return globalIllumination(step.params.whiteRgbFrac, 'user');
  return estimateIllumination(image, { flatField: step?.params.flatField ?? true, lowRes });
}

function thresholdFor(recipe: Recipe, model: StainModel): ThresholdParams {
  const p = findStep(recipe, 'threshold')?.params;
  if (!p) return { method: 'local-contrast', minContrastOd: model.minContrast, edgeRadiusPx: 3 };
  return p;
}

/**
 * OD weights giving the mineral amount: the deconvolution row, or for grey images the mean OD
 * scaled to the stain's units (darkness only).
 */
export function amountWeights(model: StainModel, singleChannel: boolean): readonly [number, number, number] {
  if (!singleChannel) return mineralRow(model);
  const meanComponent = (model.mineral[0] + model.mineral[1] + model.mineral[2]) / 3;
  const w = 1 / (3 * meanComponent);
  return [w, w, w];
}

/**
 * A grey image whose pixels are mostly dark (median below 20 % of full scale) is a fluorescence
 * image (bright signal on black), not a transmitted-light stain.
 */
export function looksLikeFluorescence(image: RgbImage): boolean {
  const full = image.bitDepth === 16 ? 65535 : 255;
  const step = Math.max(1, Math.floor((image.width * image.height) / 200_000));
  const values: number[] = [];
  for (let i = 0; i < image.width * image.height; i += step) values.push(image.data[i * 3]!);
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]! < 0.2 * full;
}

/**
 * Rim (meniscus) correction belongs to culture wells: the automatic well(s) of a well or plate
 * photo, and user regions whose
 * parts are discs (wells of a plate). Never to tissue: a round bone section's mineralized cortex
 * would look like a rim.
 */
export function rimApplies(kind: ReferenceKind): boolean {
  return kind === 'well' || kind === 'plate' || kind === 'region';
}

/**
 * Intermediate products kept between analyses of the same image (live preview while a slider is
 * dragged): each stage is recomputed only when the parameters it depends on change.
 */
export interface AnalysisMemo {
  readonly stages: Map<string, { readonly key: string; readonly value: unknown }>;
}

export function createAnalysisMemo(): AnalysisMemo {
  return { stages: new Map() };
}

function memoized<T>(memo: AnalysisMemo | undefined, stage: string, key: string, make: () => T): T {
  const hit = memo?.stages.get(stage);
  if (hit && hit.key === key) return hit.value as T;
  const value = make();
  memo?.stages.set(stage, { key, value });
  return value;
}

/** FNV-1a over the set pixels' positions of the region masks (identity of a region input). */
function regionKey(region: RegionInput | null | undefined): string {
  if (!region) return '-';
  let h = 2166136261;
  for (const m of [region.include, region.exclude]) {
    h = Math.imul(h ^ (m ? m.width * 7919 + m.height : 1), 16777619);
    if (!m) continue;
    const d = m.data;
    for (let i = 0; i < d.length; i++) if (d[i] !== 0) h = Math.imul(h ^ i, 16777619);
  }
  return (h >>> 0).toString(16);
}

/** Stain amount f (after rim correction of wells) in the reference. */
function stainAmount(
  image: RgbImage, illum: Illumination, reference: { mask: Mask; kind: ReferenceKind }, referenceSpans: Int32Array, recipe: Recipe, model: StainModel,
  singleChannel: boolean, reuseBuffers: boolean,
) {
  const weights = amountWeights(model, singleChannel);
  // only the reference and a margin for the edge filters are ever read
  const spans = padRowSpans(referenceSpans, EDGE_MARGIN_PX, image.width);
  let f: FloatMap = reuseBuffers ? projectOdReusing(image, illum, weights, spans) : projectOd(image, illum, weights, spans);
  const bgStep = findStep(recipe, 'background.subtract');
  const notes: string[] = [];
  if (bgStep && bgStep.params.rim === 'auto' && rimApplies(reference.kind)) {
    const circles = circularComponents(reference.mask);
    if (circles.length) {
      f = correctRims(f, reference.mask, circles, { bandFrac: bgStep.params.rimBandFrac, inPlace: reuseBuffers }); // f is this call's own when reused
      notes.push(`rim shading corrected in ${circles.length} circular reference area(s)`);
    }
  }
  return { f, weights, notes };
}

function backgroundFor(f: FloatMap, reference: Mask, referenceSpans: Int32Array, recipe: Recipe, model: StainModel): LowResGrid {
  const bgStep = findStep(recipe, 'background.subtract');
  if (!bgStep) return zeroBackground();
  const t = thresholdFor(recipe, model);
  const seedOd = t.method === 'local-contrast' ? t.minContrastOd : model.minContrast;
  const edgeRadiusPx = t.method === 'local-contrast' ? t.edgeRadiusPx : 3;
  return estimateBackground(f, reference, { scaleFrac: bgStep.params.scaleFrac, seedOd }, edgeRadiusPx + 1, referenceSpans);
}

/** Morphological clean-up and small-deposit removal; returns the final mask and its deposit count. */
function cleanUp(
  mineral: Mask,
  reference: Mask,
  recipe: Recipe,
  pixelSizeUm: number | null,
  mineralRuns: Runs | undefined,
): { mask: Mask; depositCount: number; areaPx: number; removedRuns: { y: number; x0: number; x1: number }[] | null } {
  let m = mineral;
  const open = findStep(recipe, 'morph.open');
  if (open) m = andMasks(openMaskDisc(m, open.params.radiusPx), reference);
  const small = findStep(recipe, 'objects.removeSmall');
  let minAreaPx = 0;
  if (small) {
    if ('minAreaUm2' in small.params) {
      if (!pixelSizeUm) {
        throw new AppError(
          'CALIBRATION_MISSING',
          'The recipe removes deposits smaller than an area in µm², but the image has no pixel size. Set the pixel size (Recipe › Calibration, or --pixel-size-um on the command line) or give the minimum area in px.',
        );
      }
      minAreaPx = small.params.minAreaUm2 / (pixelSizeUm * pixelSizeUm);
    } else minAreaPx = small.params.minAreaPx;
  }
  const r = removeSmallComponents(m, minAreaPx, true, open ? undefined : mineralRuns); // m is this analysis' own fresh mask
  // pixels removed by the opening are not tracked run by run: report them as "unknown" (null)
  return { mask: r.mask, depositCount: r.count, areaPx: r.areaPx, removedRuns: open ? null : r.removedRuns };
}

/** Σ (f − B) over a mask. */
function amountOverMask(mask: Mask, f: FloatMap, bg: LowResGrid): number {
  const runs = extractRuns(mask);
  const list: { y: number; x0: number; x1: number }[] = [];
  for (let y = 0; y < runs.height; y++) for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) list.push({ y, x0: runs.x0[i]!, x1: runs.x1[i]! });
  return amountOverRuns(list, f, bg);
}

/** Σ (f − B) over the given runs of pixels. */
function amountOverRuns(runs: readonly { y: number; x0: number; x1: number }[], f: FloatMap, bg: LowResGrid): number {
  const sample = createRowSampler(bg, f.width);
  let sum = 0;
  for (const r of runs) {
    if (r.x1 <= r.x0) continue;
    const B = sample.row(r.y, r.x0, r.x1 - 1); // B only where the run is (each value is computed on its own)
    const row = r.y * f.width;
    for (let x = r.x0; x < r.x1; x++) sum += f.data[row + x]! - B[x]!;
  }
  return sum;
}

/** Analyses one image. With a `memo`, unchanged stages of a previous call on the same image are reused. */
export function analyzeImage(input: AnalysisInput, recipe: Recipe, memo?: AnalysisMemo): AnalysisOutput {
  const { image } = input;
  if (image.width < MIN_IMAGE_SIDE_PX || image.height < MIN_IMAGE_SIDE_PX) {
    throw new AppError(
      'IMAGE_UNSUPPORTED',
      `The image is only ${image.width}×${image.height} pixels; at least ${MIN_IMAGE_SIDE_PX}×${MIN_IMAGE_SIDE_PX} are needed to measure anything. Use the full-resolution image.`,
    );
  }
  const singleChannel = input.singleChannel ?? false;
  if (singleChannel && looksLikeFluorescence(image)) {
    throw new AppError(
      'IMAGE_UNSUPPORTED',
      'This is a single-channel image that is mostly dark, like a fluorescence image or a mask, not a brightfield photo. Calciquant measures transmitted-light (brightfield) stains; threshold fluorescence in a fluorescence tool, or use the brightfield colour image.',
    );
  }
  const warnings = singleChannel
    ? ['Grey (single-channel) image: stains cannot be separated by colour, so mineral is whatever is clearly darker than the surrounding tissue. Use the colour original if you have it.']
    : [];
  const model = resolveStainModel(findStep(recipe, 'stain.separate')!.params);
  const refStep = findStep(recipe, 'reference.detect')?.params;
  const kind = input.referenceKind ?? refStep?.kind ?? 'tissue';
  const bgStep = findStep(recipe, 'background.subtract')?.params;
  const keyA = memo ? JSON.stringify([findStep(recipe, 'illumination.white'), refStep, kind, input.plateLayout, input.plateWells, input.pixelSizeUm, regionKey(input.region)]) : '';
  const { illum, ref } = memoized(memo, 'reference', keyA, () => {
    const lowRes = lowResRgb(image, undefined, { reuse: !memo }); // only used in here (not in il or r)
    const il = illuminationFor(image, recipe, lowRes);
    const r = resolveReference(image, il, kind, input.region ?? null, input.pixelSizeUm, lowRes, {
      ...(refStep ?? {}),
      ...(input.plateLayout !== undefined ? { plateLayout: input.plateLayout } : {}),
      ...(input.plateWells ? { plateWells: input.plateWells } : {}),
    });
    return { illum: il, ref: r };
  });
  const keyB = memo ? keyA + JSON.stringify([findStep(recipe, 'stain.separate'), singleChannel, bgStep?.rim, bgStep?.rimBandFrac]) : '';
  const refSpans = maskRowSpans(ref.mask); // rows' extents of the reference, for every pass below
  // with a memo, f is kept for the next call; without, f never leaves this call and its buffer is
  // reused by the next image
  const amount = memoized(memo, 'stain', keyB, () => stainAmount(image, illum, ref, refSpans, recipe, model, singleChannel, !memo));
  const t = thresholdFor(recipe, model);
  const keyC = memo ? keyB + JSON.stringify([bgStep, t.method === 'local-contrast' ? [t.minContrastOd, t.edgeRadiusPx] : model.minContrast]) : '';
  const background = memoized(memo, 'background', keyC, () => backgroundFor(amount.f, ref.mask, refSpans, recipe, model));
  const seg = {
    ...segmentMineral(amount.f, background, ref.mask, t, { weights: amount.weights, mineral: model.mineral, localBackground: model.neutralMineral }, refSpans),
    notes: amount.notes, f: amount.f, background,
  };
  const clean = cleanUp(seg.mineral, ref.mask, recipe, input.pixelSizeUm, seg.mineralRuns);
  const mineralAreaPx = clean.areaPx;
  const integratedOd = clean.removedRuns
    ? seg.integratedOd - amountOverRuns(clean.removedRuns, seg.f, seg.background)
    : amountOverMask(clean.mask, seg.f, seg.background);
  return {
    reference: ref.mask,
    mineral: clean.mask,
    ...(ref.plate
      ? {
          wells: measureWells(clean.mask, ref.plate.labels, ref.plate.result.wells, ref.mask),
          plate: { layout: ref.plate.result.layout, wells: ref.plate.result.wells.map(({ id, cx, cy, radiusPx, found }) => ({ id, cx, cy, radiusPx, found })) },
        }
      : {}),
    measurements: {
      reference: ref.kind,
      referenceAreaPx: seg.referencePx,
      mineralAreaPx,
      mineralPct: seg.referencePx > 0 ? (100 * mineralAreaPx) / seg.referencePx : 0,
      depositCount: clean.depositCount,
      meanOd: mineralAreaPx > 0 ? integratedOd / mineralAreaPx : null,
      integratedOd,
      thresholdOd: Number.isFinite(seg.thresholdOd) ? seg.thresholdOd : null,
      whiteFrac: illum.whiteFrac,
      illumination: illum.source,
      stainModel: model.id,
      notes: [...ref.notes, ...seg.notes],
      warnings,
    },
  };
}
