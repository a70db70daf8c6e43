/**
 * Everything decodeImage and readImageInfo learn before decoding pixels: the opened file and its
 * first bytes, sharp's header metadata of the chosen page (size, channels, bit depth, pages), and
 * the pixel-size calibration, read from only the few TIFF tag bytes it needs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError } from '../common/errors.js';
import { resolveCalibration, type Calibration } from './calibration.js';
import { classifySharpError, fileSystemError } from './decode-errors.js';
import { tiffTagReader, type ByteRangeRequest, type TiffTags } from './tiff-tags.js';

/** Bytes read from the start of the file to recognise its type (DICOM needs 132). */
const SNIFF_BYTES = 512;

/** An open image file and its first bytes (used to recognise the format in error messages). */
export interface OpenedFile {
  handle: FileHandle;
  head: Uint8Array;
}

/** Opens the file for reading (permission check), rejects folders and empty files, reads the head. */
export async function openImageFile(filePath: string, name: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (e) {
    throw fileSystemError(e, name);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) {
      throw new AppError('INPUT_INVALID', `“${name}” is a folder, not an image file. Choose the image files inside it.`, {
        detail: `${filePath} is a directory`,
      });
    }
    if (!st.isFile()) {
      throw new AppError('INPUT_INVALID', `“${name}” is not a regular file. Choose an image file (JPEG, PNG or TIFF).`, {
        detail: `${filePath} is not a regular file`,
      });
    }
    if (st.size === 0) {
      throw new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” is empty (0 bytes). Re-export the image from the microscope software.`,
        { detail: `${filePath} has size 0` },
      );
    }
    const head = new Uint8Array(Math.min(SNIFF_BYTES, st.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { handle, head: head.subarray(0, bytesRead) };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e instanceof AppError ? e : fileSystemError(e, name);
  }
}

type SharpMetadata = Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;

/** Header metadata of one page, as sharp reports it (`display…` = after EXIF orientation). */
export interface Meta {
  format: string;
  width: number;
  height: number;
  displayWidth: number;
  displayHeight: number;
  channels: number;
  space: string;
  depth: string;
  pageCount: number;
  /** JPEG only: '4:2:0' when colour is stored at half resolution. */
  chromaSubsampling: string | null;
}

/** Header metadata of page `page` (no pixel decoding, no pixel limit: the caller checks size). */
export async function readMetadata(filePath: string, name: string, head: Uint8Array, page: number): Promise<Meta> {
  const read = async (p: number | undefined): Promise<SharpMetadata> => {
    try {
      return await sharp(filePath, { limitInputPixels: false, ...(p !== undefined ? { page: p } : {}) }).metadata();
    } catch (e) {
      throw classifySharpError(e, name, head);
    }
  };
  let m = await read(undefined);
  const pageCount = typeof m.pages === 'number' && m.pages > 0 ? m.pages : 1;
  if (page >= pageCount) {
    throw new AppError(
      'INPUT_INVALID',
      pageCount === 1
        ? `“${name}” has only one page; page ${page + 1} does not exist. Use page 1.`
        : `“${name}” has ${pageCount} pages; page ${page + 1} does not exist. Choose a page from 1 to ${pageCount}.`,
      { detail: `page index ${page} requested, file has ${pageCount} page(s)` },
    );
  }
  if (page > 0) m = await read(page);
  if (!(m.width > 0 && m.height > 0)) {
    throw new AppError('IMAGE_UNREADABLE', `“${name}” has no valid image size. Re-save it as TIFF or PNG.`, {
      detail: `metadata width=${String(m.width)} height=${String(m.height)}`,
    });
  }
  const swap = typeof m.orientation === 'number' && m.orientation >= 5 && m.orientation <= 8;
  return {
    format: m.format,
    width: m.width,
    height: m.height,
    displayWidth: m.autoOrient?.width ?? (swap ? m.height : m.width),
    displayHeight: m.autoOrient?.height ?? (swap ? m.width : m.height),
    channels: m.channels,
    space: m.space,
    depth: m.depth,
    pageCount,
    chromaSubsampling: m.chromaSubsampling ?? null,
  };
}

/** 8 or 16 from sharp's `depth`; throws IMAGE_UNSUPPORTED for signed, 32-bit, float or complex pixels. */
export function bitDepthOf(name: string, depth: string): 8 | 16 {
  if (depth === 'uchar') return 8;
  if (depth === 'ushort') return 16;
  const what: Record<string, string> = {
    char: 'signed 8-bit',
    short: 'signed 16-bit',
    uint: '32-bit integer',
    int: 'signed 32-bit integer',
    float: '32-bit floating-point',
    double: '64-bit floating-point',
    complex: 'complex-valued',
    dpcomplex: 'complex-valued',
  };
  throw new AppError(
    'IMAGE_UNSUPPORTED',
    `“${name}” has ${what[depth] ?? depth} pixel values, which Calciquant cannot measure. ` +
      'Export it as an 8-bit or 16-bit TIFF (in Fiji: Image › Type › 16-bit or RGB Color).',
    { detail: `sharp depth '${depth}'` },
  );
}

/** True for gray files (with or without alpha): their RGB channels come out equal. */
export function isSingleChannelSpace(space: string, channels: number): boolean {
  return space === 'b-w' || space === 'grey16' || channels <= 2;
}

/** Reads at most this many bytes per request from the file (matches the description cap). */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Calibration of page `page`: the user's value when given; for TIFF, from the page's tags (description
 * and resolution fall back to page 0's, where ImageJ and OME-TIFF keep them); otherwise none.
 */
export async function calibrationFor(
  handle: FileHandle,
  format: string,
  page: number,
  userPixelSizeUm: number | undefined,
): Promise<Calibration> {
  if (userPixelSizeUm !== undefined || format !== 'tiff') {
    return resolveCalibration({ userPixelSizeUm: userPixelSizeUm ?? null });
  }
  const pageTags = await readTiffTagsFromFile(handle, page);
  // ImageJ and OME-TIFF keep the description (and often the resolution) in the first page only.
  const firstTags = page > 0 ? await readTiffTagsFromFile(handle, 0) : pageTags;
  const hasOwnRes = pageTags?.xResolution != null;
  const resFrom = hasOwnRes ? pageTags : firstTags;
  return resolveCalibration({
    imageDescription: firstTags?.imageDescription ?? pageTags?.imageDescription ?? null,
    xResolution: resFrom?.xResolution ?? null,
    yResolution: resFrom?.yResolution ?? null,
    resolutionUnit: resFrom?.resolutionUnit ?? null,
  });
}

/**
 * Drives {@link tiffTagReader} over an open file: reads only the requested byte ranges (header,
 * IFD chain, four tag values), each capped at 4 MB. Returns null on any I/O problem.
 */
async function readTiffTagsFromFile(handle: FileHandle, page: number): Promise<TiffTags | null> {
  try {
    const gen = tiffTagReader(page);
    let step = gen.next();
    while (!step.done) {
      step = gen.next(await readRange(handle, step.value));
    }
    return step.value;
  } catch {
    return null;
  }
}

async function readRange(handle: FileHandle, r: ByteRangeRequest): Promise<Uint8Array | null> {
  const length = Math.min(r.length, MAX_READ_BYTES);
  if (!Number.isSafeInteger(r.offset) || r.offset < 0 || length <= 0) return null;
  const buf = new Uint8Array(length);
  const { bytesRead } = await handle.read(buf, 0, length, r.offset);
  return bytesRead > 0 ? buf.subarray(0, bytesRead) : null;
}
