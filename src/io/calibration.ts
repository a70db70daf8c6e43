/**
 * Pixel-size calibration from image metadata, and a small defensive TIFF tag reader.
 *
 * Sources, in order of precedence (highest first):
 *   1. the user's value (`pixelSizeUm` option),
 *   2. OME-XML in the TIFF ImageDescription (`<Pixels PhysicalSizeX=… PhysicalSizeXUnit=…>`),
 *   3. an ImageJ ImageDescription (`ImageJ=…` + `unit=micron`) with XResolution in pixels per unit,
 *   4. the plain TIFF resolution tags (XResolution + ResolutionUnit inch / centimetre).
 *
 * Everything here is pure: the TIFF reader is a generator that asks its driver for byte ranges, so
 * the same code reads from an in-memory Buffer ({@link readTiffTags}) or from a file handle, reading
 * only the few bytes it needs (header, one IFD chain, four tag values). It never throws on malformed
 * input: missing or broken values come back as `null`.
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
// TIFF tags
// ---------------------------------------------------------------------------------------------

/** The few TIFF tags calibration needs, from one IFD (page). */
export interface TiffTags {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  /** Tag 270, text up to the first NUL (UTF-8); null if absent or unreadable. */
  readonly imageDescription: string | null;
  /** Tag 282, pixels per resolution unit. */
  readonly xResolution: number | null;
  /** Tag 283, pixels per resolution unit. */
  readonly yResolution: number | null;
  /** Tag 296: 1 none, 2 inch, 3 centimetre; null if the tag is absent (TIFF default is inch). */
  readonly resolutionUnit: number | null;
}

/** A request from the TIFF reader for `length` bytes at file offset `offset`. */
export interface ByteRangeRequest {
  readonly offset: number;
  readonly length: number;
}

/**
 * Driver protocol for {@link tiffTagReader}: answer every yielded request with the bytes at that
 * range (shorter at end of file, empty or null if unavailable).
 */
export type TiffTagReader = Generator<ByteRangeRequest, TiffTags | null, Uint8Array | null>;

/** ImageDescription values longer than this are cut (OME-XML of a large plate can be many MB). */
export const MAX_DESCRIPTION_BYTES = 4 * 1024 * 1024;
/** IFDs with more entries than this are treated as corrupt. */
const MAX_IFD_ENTRIES = 4096;
/** Pages beyond this index are not searched for. */
export const MAX_TIFF_PAGE = 100_000;

const TAG_DESCRIPTION = 270;
const TAG_XRES = 282;
const TAG_YRES = 283;
const TAG_RESUNIT = 296;
const WANTED = new Set([TAG_DESCRIPTION, TAG_XRES, TAG_YRES, TAG_RESUNIT]);

/** Bytes per value of each TIFF field type (0 = unknown type). */
function typeSize(type: number): number {
  switch (type) {
    case 1: // BYTE
    case 2: // ASCII
    case 6: // SBYTE
    case 7: // UNDEFINED
      return 1;
    case 3: // SHORT
    case 8: // SSHORT
      return 2;
    case 4: // LONG
    case 9: // SLONG
    case 11: // FLOAT
    case 13: // IFD
      return 4;
    case 5: // RATIONAL
    case 10: // SRATIONAL
    case 12: // DOUBLE
    case 16: // LONG8
    case 17: // SLONG8
    case 18: // IFD8
      return 8;
    default:
      return 0;
  }
}

/**
 * Reads the tags of page `page` (0-based IFD index). Yields byte-range requests; returns null when
 * the data is not a TIFF at all, otherwise a {@link TiffTags} whose fields are null when the page
 * or tag is missing or malformed. Never throws on any input.
 */
export function* tiffTagReader(page = 0): TiffTagReader {
  const head = yield { offset: 0, length: 16 };
  if (!head || head.length < 8) return null;
  const b0 = head[0];
  const b1 = head[1];
  let le: boolean;
  if (b0 === 0x49 && b1 === 0x49) le = true;
  else if (b0 === 0x4d && b1 === 0x4d) le = false;
  else return null;
  const u16 = (b: Uint8Array, o: number): number => (le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!);
  const u32 = (b: Uint8Array, o: number): number =>
    le
      ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
      : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  /** 64-bit unsigned as a Number; NaN if it does not fit exactly. */
  const u64 = (b: Uint8Array, o: number): number => {
    const lo = u32(b, le ? o : o + 4);
    const hi = u32(b, le ? o + 4 : o);
    const v = hi * 2 ** 32 + lo;
    return Number.isSafeInteger(v) ? v : NaN;
  };
  const version = u16(head, 2);
  let big: boolean;
  let firstIfd: number;
  if (version === 42) {
    big = false;
    firstIfd = u32(head, 4);
  } else if (version === 43) {
    if (head.length < 16 || u16(head, 4) !== 8 || u16(head, 6) !== 0) return null;
    big = true;
    firstIfd = u64(head, 8);
  } else {
    return null;
  }
  const empty: TiffTags = {
    littleEndian: le,
    bigTiff: big,
    imageDescription: null,
    xResolution: null,
    yResolution: null,
    resolutionUnit: null,
  };
  if (!Number.isInteger(page) || page < 0 || page > MAX_TIFF_PAGE) return empty;

  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const offSize = big ? 8 : 4;
  const inlineMax = big ? 8 : 4;
  const validOffset = (o: number): boolean => Number.isSafeInteger(o) && o >= 8;

  // Walk the IFD chain to the requested page: for each skipped page, read its entry count and its
  // next-IFD pointer only.
  let ifd = firstIfd;
  const seen = new Set<number>();
  for (let p = 0; p < page; p++) {
    if (!validOffset(ifd) || seen.has(ifd)) return empty;
    seen.add(ifd);
    const c = yield { offset: ifd, length: countSize };
    if (!c || c.length < countSize) return empty;
    const n = big ? u64(c, 0) : u16(c, 0);
    if (!Number.isSafeInteger(n) || n > MAX_IFD_ENTRIES) return empty;
    const nx = yield { offset: ifd + countSize + n * entrySize, length: offSize };
    if (!nx || nx.length < offSize) return empty;
    ifd = big ? u64(nx, 0) : u32(nx, 0);
  }
  if (!validOffset(ifd)) return empty;

  const c = yield { offset: ifd, length: countSize };
  if (!c || c.length < countSize) return empty;
  const n = big ? u64(c, 0) : u16(c, 0);
  if (!Number.isSafeInteger(n) || n === 0 || n > MAX_IFD_ENTRIES) return empty;
  const entries = yield { offset: ifd + countSize, length: n * entrySize };
  if (!entries) return empty;
  const available = Math.floor(entries.length / entrySize);

  let imageDescription: string | null = null;
  let xResolution: number | null = null;
  let yResolution: number | null = null;
  let resolutionUnit: number | null = null;

  for (let i = 0; i < available; i++) {
    const e = i * entrySize;
    const tag = u16(entries, e);
    if (!WANTED.has(tag)) continue;
    const type = u16(entries, e + 2);
    const count = big ? u64(entries, e + 4) : u32(entries, e + 4);
    const size = typeSize(type);
    if (size === 0 || !Number.isSafeInteger(count) || count < 1) continue;
    const wantCount = tag === TAG_DESCRIPTION ? Math.min(count, MAX_DESCRIPTION_BYTES) : 1;
    if (tag === TAG_DESCRIPTION && size !== 1) continue;
    const valueField = e + (big ? 12 : 8);
    const totalBytes = count * size;
    let value: Uint8Array | null;
    if (totalBytes <= inlineMax) {
      value = entries.subarray(valueField, valueField + inlineMax);
    } else {
      const at = big ? u64(entries, valueField) : u32(entries, valueField);
      if (!validOffset(at)) continue;
      value = yield { offset: at, length: wantCount * size };
    }
    if (!value || value.length < (tag === TAG_DESCRIPTION ? 1 : size)) continue;

    if (tag === TAG_DESCRIPTION) {
      imageDescription = decodeAscii(value.subarray(0, Math.min(value.length, wantCount)));
    } else if (tag === TAG_RESUNIT) {
      const v = readNumber(value, type, u16, u32, u64, le);
      resolutionUnit = v !== null && Number.isInteger(v) ? v : null;
    } else {
      const v = readNumber(value, type, u16, u32, u64, le);
      const ok = v !== null && Number.isFinite(v) && v > 0 ? v : null;
      if (tag === TAG_XRES) xResolution = ok;
      else yResolution = ok;
    }
  }
  return { littleEndian: le, bigTiff: big, imageDescription, xResolution, yResolution, resolutionUnit };
}

function readNumber(
  b: Uint8Array,
  type: number,
  u16: (b: Uint8Array, o: number) => number,
  u32: (b: Uint8Array, o: number) => number,
  u64: (b: Uint8Array, o: number) => number,
  le: boolean,
): number | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 1:
    case 7:
      return b[0]!;
    case 3:
      return u16(b, 0);
    case 4:
    case 13:
      return u32(b, 0);
    case 5: {
      const den = u32(b, 4);
      return den === 0 ? null : u32(b, 0) / den;
    }
    case 10: {
      const den = dv.getInt32(4, le);
      return den === 0 ? null : dv.getInt32(0, le) / den;
    }
    case 11:
      return dv.getFloat32(0, le);
    case 12:
      return dv.getFloat64(0, le);
    case 16:
    case 18: {
      const v = u64(b, 0);
      return Number.isNaN(v) ? null : v;
    }
    default:
      return null;
  }
}

/** Text up to the first NUL, as UTF-8 (invalid bytes become U+FFFD); null when empty. */
function decodeAscii(b: Uint8Array): string | null {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  const s = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, end)).trim();
  return s.length > 0 ? s : null;
}

/**
 * Reads the calibration tags of page `page` from TIFF bytes (the whole file or its beginning).
 * Returns null if `buf` is not a TIFF; fields are null when missing, out of `buf`, or malformed.
 * Never throws.
 */
export function readTiffTags(buf: Uint8Array, page = 0): TiffTags | null {
  try {
    const gen = tiffTagReader(page);
    let step = gen.next();
    while (!step.done) {
      const { offset, length } = step.value;
      const slice =
        offset >= 0 && offset < buf.length && length > 0
          ? buf.subarray(offset, Math.min(buf.length, offset + length))
          : null;
      step = gen.next(slice);
    }
    return step.value;
  } catch {
    return null; // defensive: the reader is written not to throw
  }
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
