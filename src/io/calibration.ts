/**
 * Pixel-size calibration from image metadata.
 *
 * Sources, in order of precedence (highest first):
 *   1. the user's value (`pixelSizeUm` option),
 *   2. OME-XML in the TIFF ImageDescription (`<Pixels PhysicalSizeX=… PhysicalSizeXUnit=…>`),
 *   3. an ImageJ ImageDescription (`ImageJ=…` + `unit=micron`) with XResolution in pixels per unit,
 *   4. the plain TIFF resolution tags (XResolution + ResolutionUnit inch / centimetre).
 *
 * Everything here is pure. The tag values come from the TIFF reader in `tiff-tags.ts`.
 */

export type PixelSizeSource = 'user' | 'tiff-resolution' | 'imagej' | 'ome-xml' | 'none';

export interface Calibration {
  /** Size of one pixel along X, in micrometres; null when no trustworthy value was found. */
  readonly pixelSizeUm: number | null;
  readonly source: PixelSizeSource;
  /** User-facing remarks, e.g. non-square pixels. */
  readonly warnings: readonly string[];
}

/** Pixel size of one source, before precedence is applied. */
export interface PixelSizeXY {
  readonly xUm: number;
  /** null when the source gives no Y size (then pixels are assumed square). */
  readonly yUm: number | null;
}

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

/** Micrometres per unit, keyed by normalised unit spelling. */
const UM_PER_UNIT: Record<string, number> = {
  pm: 1e-6,
  'å': 1e-4,
  angstrom: 1e-4,
  nm: 1e-3,
  nanometer: 1e-3,
  nanometre: 1e-3,
  nanometers: 1e-3,
  nanometres: 1e-3,
  'µm': 1,
  um: 1,
  micron: 1,
  microns: 1,
  micrometer: 1,
  micrometre: 1,
  micrometers: 1,
  micrometres: 1,
  mm: 1e3,
  millimeter: 1e3,
  millimetre: 1e3,
  cm: 1e4,
  centimeter: 1e4,
  centimetre: 1e4,
  m: 1e6,
  meter: 1e6,
  metre: 1e6,
  in: 25_400,
  inch: 25_400,
  inches: 25_400,
};

/**
 * Micrometres per one `unit`, or null for unknown / uncalibrated units ('pixel', '').
 * Accepts the spellings ImageJ and OME use: `micron`, `µm` (U+00B5 or Greek U+03BC), `um`,
 * ImageJ's escaped `\u00B5m`, XML character references `&#181;m`, `nm`, `mm`, `Å`, …
 */
export function umPerUnit(unit: string | null | undefined): number | null {
  if (unit === null || unit === undefined) return null;
  const u = unit
    .trim()
    .replace(/\\u00b5/gi, 'µ')
    .replace(/\\u03bc/gi, 'µ')
    .replace(/&#(x?)([0-9a-f]+);/gi, (_m, hex: string, n: string) => String.fromCodePoint(parseInt(n, hex ? 16 : 10)))
    .replace(/\u03bc/g, 'µ')
    .replace(/\u212b/g, 'å') // ANGSTROM SIGN
    .toLowerCase();
  return UM_PER_UNIT[u] ?? null;
}

function positiveFinite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

/** True if the description is ImageJ's (`ImageJ=<version>` on its first line). */
export function isImageJDescription(desc: string | null | undefined): boolean {
  return typeof desc === 'string' && /^\s*ImageJ=/.test(desc);
}

/** True if the description holds OME-XML. */
export function isOmeXml(desc: string | null | undefined): boolean {
  return typeof desc === 'string' && /<(?:[\w-]+:)?OME[\s>]/.test(desc);
}

/** Key=value lines of an ImageJ description (keys as written). */
export function parseImageJDescription(desc: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of desc.split(/\r?\n/)) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * ImageJ calibration: `unit=` from the description, XResolution/YResolution = pixels per unit.
 * Returns null if the description is not ImageJ's, the unit is missing, `pixel` or unknown, or the
 * resolution is missing. (`spacing=` is ImageJ's Z step between slices and is not an XY size; see
 * {@link imageJSpacingUm}.)
 */
export function pixelSizeFromImageJ(
  desc: string | null | undefined,
  xResolution: number | null,
  yResolution: number | null,
): PixelSizeXY | null {
  if (!desc || !isImageJDescription(desc)) return null;
  const kv = parseImageJDescription(desc);
  const factor = umPerUnit(kv['unit']);
  if (factor === null || !positiveFinite(xResolution)) return null;
  const yFactor = kv['yunit'] !== undefined ? umPerUnit(kv['yunit']) : factor;
  const xUm = factor / xResolution;
  const yUm = positiveFinite(yResolution) && yFactor !== null ? yFactor / yResolution : null;
  return positiveFinite(xUm) ? { xUm, yUm: positiveFinite(yUm) ? yUm : null } : null;
}

/** ImageJ's Z spacing (`spacing=`, in `unit`) in µm, or null. Not used for the XY pixel size. */
export function imageJSpacingUm(desc: string | null | undefined): number | null {
  if (!desc || !isImageJDescription(desc)) return null;
  const kv = parseImageJDescription(desc);
  const factor = umPerUnit(kv['zunit'] ?? kv['unit']);
  const s = Number(kv['spacing']);
  return factor !== null && positiveFinite(s) ? s * factor : null;
}

/**
 * OME-XML calibration from the first `<Pixels>` element: PhysicalSizeX/Y with their units
 * (default µm, per the OME schema). Returns null if absent, non-positive or in an unknown unit.
 */
export function pixelSizeFromOmeXml(xml: string | null | undefined): PixelSizeXY | null {
  if (!xml || !isOmeXml(xml)) return null;
  const m = /<(?:[\w-]+:)?Pixels\b([^>]*)>/.exec(xml);
  if (!m) return null;
  const attrs = m[1] ?? '';
  const attr = (name: string): string | undefined => {
    const r = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
    return r ? (r[1] ?? r[2]) : undefined;
  };
  const axis = (a: 'X' | 'Y'): number | null => {
    const raw = attr(`PhysicalSize${a}`);
    if (raw === undefined) return null;
    const v = Number(raw);
    const unit = attr(`PhysicalSize${a}Unit`);
    const f = unit === undefined ? 1 : umPerUnit(unit);
    if (!positiveFinite(v) || f === null) return null;
    const um = v * f;
    return positiveFinite(um) ? um : null;
  };
  const xUm = axis('X');
  if (xUm === null) return null;
  return { xUm, yUm: axis('Y') };
}

/**
 * Resolutions (pixels per inch) that software writes by default and that carry no microscopy
 * meaning: screen/print DPI (72, 96, 150, 300, 600) and 25.4 (1 pixel per mm, what libvips/sharp
 * write when an image has no resolution). Values within 0.5 % of these are ignored.
 */
export const MEANINGLESS_DPI: readonly number[] = [25.4, 72, 96, 150, 300, 600];

function isMeaninglessDpi(dpi: number): boolean {
  return dpi <= 1.0001 || MEANINGLESS_DPI.some((d) => Math.abs(dpi - d) / d < 0.005);
}

/**
 * Plain TIFF resolution: XResolution pixels per inch (unit 2 or absent, the TIFF default) or per
 * centimetre (unit 3). Unit 1 (none) gives null, as do typical screen/scanner DPI values
 * ({@link MEANINGLESS_DPI}, checked after converting to pixels per inch) and 1 pixel per unit.
 */
export function pixelSizeFromTiffResolution(
  xResolution: number | null,
  yResolution: number | null,
  resolutionUnit: number | null,
): PixelSizeXY | null {
  const unit = resolutionUnit ?? 2;
  if (unit !== 2 && unit !== 3) return null;
  if (!positiveFinite(xResolution)) return null;
  const umPer = unit === 2 ? 25_400 : 10_000;
  const dpi = unit === 2 ? xResolution : xResolution * 2.54;
  if (isMeaninglessDpi(dpi)) return null;
  const xUm = umPer / xResolution;
  const yUm = positiveFinite(yResolution) ? umPer / yResolution : null;
  return positiveFinite(xUm) ? { xUm, yUm } : null;
}

// ---------------------------------------------------------------------------------------------
// Precedence
// ---------------------------------------------------------------------------------------------

export interface CalibrationInputs {
  /** User override in µm; wins over everything when a positive finite number. */
  readonly userPixelSizeUm?: number | null | undefined;
  /** ImageDescription (ImageJ/OME keep it in the first page; pass page 0's when the page has none). */
  readonly imageDescription?: string | null | undefined;
  readonly xResolution?: number | null | undefined;
  readonly yResolution?: number | null | undefined;
  readonly resolutionUnit?: number | null | undefined;
}

const SOURCE_LABEL: Record<Exclude<PixelSizeSource, 'none' | 'user'>, string> = {
  'ome-xml': 'OME metadata',
  imagej: 'ImageJ calibration',
  'tiff-resolution': 'TIFF resolution tags',
};

/** Formats a µm value for messages (up to 4 significant digits, no exponent for usual sizes). */
export function formatUm(v: number): string {
  return `${Number(v.toPrecision(4))} µm`;
}

/**
 * Applies the precedence user > OME-XML > ImageJ > TIFF resolution. For non-square pixels the X
 * size is used and a warning is added.
 */
export function resolveCalibration(inp: CalibrationInputs): Calibration {
  if (positiveFinite(inp.userPixelSizeUm)) {
    return { pixelSizeUm: inp.userPixelSizeUm, source: 'user', warnings: [] };
  }
  const desc = inp.imageDescription ?? null;
  const xr = inp.xResolution ?? null;
  const yr = inp.yResolution ?? null;
  const candidates: [Exclude<PixelSizeSource, 'none' | 'user'>, PixelSizeXY | null][] = [
    ['ome-xml', pixelSizeFromOmeXml(desc)],
    ['imagej', pixelSizeFromImageJ(desc, xr, yr)],
    ['tiff-resolution', isImageJDescription(desc) ? null : pixelSizeFromTiffResolution(xr, yr, inp.resolutionUnit ?? null)],
  ];
  for (const [source, xy] of candidates) {
    if (!xy) continue;
    const warnings: string[] = [];
    if (xy.yUm !== null && Math.abs(xy.yUm - xy.xUm) / xy.xUm > 0.001) {
      warnings.push(
        `Pixels are not square (${formatUm(xy.xUm)} wide × ${formatUm(xy.yUm)} high, from the ${SOURCE_LABEL[source]}); ` +
          `the width ${formatUm(xy.xUm)} is used as the pixel size, so areas may be off by ` +
          `${Math.round(Math.abs(xy.yUm / xy.xUm - 1) * 100)} %. Enter the pixel size yourself if this is wrong.`,
      );
    }
    return { pixelSizeUm: xy.xUm, source, warnings };
  }
  return { pixelSizeUm: null, source: 'none', warnings: [] };
}
