/**
 * A ZIP reader for untrusted archives (ImageJ RoiSets): reads the central directory itself and
 * inflates each entry with fflate's streaming `Inflate` in small steps, stopping as soon as the
 * output exceeds the entry's declared size. (fflate's `unzipSync` trusts the declared size: an
 * entry that lies about it is still decoded to its true length — a 300 KB archive can cost
 * seconds of CPU — so limits on declared sizes alone do not stop a zip bomb.)
 * Limits: archive size, entry count, per-entry and total uncompressed bytes. No zip64, no
 * encryption; stored (0) and deflate (8) only. Pure: bytes in, entries out.
 */
import { Inflate, strFromU8 } from 'fflate';

export interface ZipLimits {
  readonly maxArchiveBytes: number;
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/** A problem with the archive, in words for the user (the caller adds the file name). */
export class ZipProblem extends Error {
  override readonly name = 'ZipProblem';
}

const EOCD_SIG = 0x06054b50, CEN_SIG = 0x02014b50, LOC_SIG = 0x04034b50;
const INFLATE_STEP_BYTES = 16 * 1024;

function u16(b: Uint8Array, o: number): number {
  if (o < 0 || o + 2 > b.length) throw new ZipProblem('is truncated');
  return b[o]! | (b[o + 1]! << 8);
}

function u32(b: Uint8Array, o: number): number {
  if (o < 0 || o + 4 > b.length) throw new ZipProblem('is truncated');
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function findEndOfCentralDirectory(b: Uint8Array): number {
  const last = b.length - 22;
  for (let o = last; o >= 0 && o >= last - 65_535; o--) {
    if (b[o] === 0x50 && u32(b, o) === EOCD_SIG) return o;
  }
  throw new ZipProblem('is not a ZIP archive (no central directory)');
}

/** Inflates raw DEFLATE data to exactly `size` bytes, never producing more than `size`. */
function inflateExactly(compressed: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let got = 0, tooLong = false;
  const inflater = new Inflate((chunk) => {
    if (tooLong || got + chunk.length > size) {
      tooLong = true;
      return;
    }
    out.set(chunk, got);
    got += chunk.length;
  });
  try {
    for (let i = 0; i < compressed.length && !tooLong; i += INFLATE_STEP_BYTES) {
      inflater.push(compressed.subarray(i, i + INFLATE_STEP_BYTES), i + INFLATE_STEP_BYTES >= compressed.length);
    }
  } catch (e) {
    throw new ZipProblem(`has a damaged entry (${(e as Error)?.message ?? 'inflate error'})`);
  }
  if (tooLong || got !== size) throw new ZipProblem('has an entry whose size does not match its header');
  return out;
}

interface CentralEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

function readCentralDirectory(b: Uint8Array, limits: ZipLimits): CentralEntry[] {
  const eocd = findEndOfCentralDirectory(b);
  const count = u16(b, eocd + 10), cdSize = u32(b, eocd + 12), cdOffset = u32(b, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipProblem('uses ZIP64, which is not supported');
  if (count > limits.maxEntries) throw new ZipProblem(`has more than ${limits.maxEntries.toLocaleString('en')} entries`);
  if (cdOffset + cdSize > eocd) throw new ZipProblem('has a damaged central directory');
  const entries: CentralEntry[] = [];
  let o = cdOffset, total = 0;
  for (let i = 0; i < count; i++) {
    if (u32(b, o) !== CEN_SIG) throw new ZipProblem('has a damaged central directory');
    const flags = u16(b, o + 8), method = u16(b, o + 10);
    const compressedSize = u32(b, o + 20), size = u32(b, o + 24);
    const nameLen = u16(b, o + 28), extraLen = u16(b, o + 30), commentLen = u16(b, o + 32);
    const localOffset = u32(b, o + 42);
    if (o + 46 + nameLen > eocd) throw new ZipProblem('has a damaged central directory');
    const name = strFromU8(b.subarray(o + 46, o + 46 + nameLen), (flags & 0x800) === 0);
    o += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new ZipProblem('is encrypted');
    if (method !== 0 && method !== 8) throw new ZipProblem(`uses an unsupported compression method (${method})`);
    if (size > limits.maxEntryBytes) throw new ZipProblem(`has an entry larger than ${limits.maxEntryBytes / 1048576} MB`);
    total += size;
    if (total > limits.maxTotalBytes) throw new ZipProblem(`would unpack to more than ${limits.maxTotalBytes / 1048576} MB`);
    // Deflate never grows data by more than a few bytes per 16 KB block.
    if (compressedSize > size + Math.ceil(size / 1000) + 64) throw new ZipProblem('has an entry whose size does not match its header');
    entries.push({ name, method, compressedSize, size, localOffset });
  }
  return entries;
}

function entryData(b: Uint8Array, e: CentralEntry): Uint8Array {
  if (u32(b, e.localOffset) !== LOC_SIG) throw new ZipProblem('has a damaged entry header');
  const start = e.localOffset + 30 + u16(b, e.localOffset + 26) + u16(b, e.localOffset + 28);
  const end = start + e.compressedSize;
  if (end > b.length) throw new ZipProblem('is truncated');
  const raw = b.subarray(start, end);
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new ZipProblem('has an entry whose size does not match its header');
    return raw.slice();
  }
  return inflateExactly(raw, e.size);
}

/**
 * Entries accepted by `keep(name)` (others are not inflated), in archive order. The limits apply
 * to every entry the directory declares. Throws ZipProblem for anything malformed or over a limit.
 */
export function readZipEntries(bytes: Uint8Array, limits: ZipLimits, keep: (name: string) => boolean): ZipEntry[] {
  if (bytes.length > limits.maxArchiveBytes) throw new ZipProblem(`is larger than ${limits.maxArchiveBytes / 1048576} MB`);
  return readCentralDirectory(bytes, limits)
    .filter((e) => keep(e.name))
    .map((e) => ({ name: e.name, data: entryData(bytes, e) }));
}
