/**
 * A small defensive TIFF tag reader: the four tags calibration needs (ImageDescription,
 * XResolution, YResolution, ResolutionUnit) from one page of a classic or BigTIFF file.
 *
 * Everything here is pure: the reader is a generator that asks its driver for byte ranges, so the
 * same code reads from an in-memory Buffer ({@link readTiffTags}) or from a file handle (the decoder
 * does), reading only the few bytes it needs (header, one IFD chain, four tag values). It never
 * throws on malformed input: missing or broken values come back as `null`.
 */

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
