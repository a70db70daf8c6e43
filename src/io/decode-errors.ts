/**
 * Decoding failures → AppError: the file-system errors of opening an image, and sharp's errors,
 * classified with the help of the file's first bytes ({@link sniffFormat}) so that the userMessage
 * names the file, says what is wrong in plain words and what to do. sharp's own message goes to
 * `detail`.
 */
import { AppError } from '../common/errors.js';
import { FORMAT_LABEL } from './image-formats.js';

// ---------------------------------------------------------------------------------------------
// File system
// ---------------------------------------------------------------------------------------------

/** Converts an error from opening or reading the file (ENOENT, EACCES, …) into an AppError. */
export function fileSystemError(e: unknown, name: string): AppError {
  const code = (e as { code?: unknown } | null)?.code;
  const detail = e instanceof Error ? e.message : String(e);
  switch (code) {
    case 'ENOENT':
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” was not found. Check that the file still exists and was not moved or renamed.`,
        { detail, cause: e },
      );
    case 'EACCES':
    case 'EPERM':
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” cannot be read: permission denied. Ask the owner for read access, or copy the image to a folder of your own.`,
        { detail, cause: e },
      );
    case 'EISDIR':
      return new AppError('INPUT_INVALID', `“${name}” is a folder, not an image file. Choose the image files inside it.`, {
        detail,
        cause: e,
      });
    case 'ENAMETOOLONG':
      return new AppError('INPUT_INVALID', `The path of “${name}” is too long. Move the image to a shorter folder path.`, {
        detail,
        cause: e,
      });
    default:
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” could not be read (${typeof code === 'string' ? code : 'read error'}). ` +
          'Check the drive or network share and try again, or copy the image to a local folder.',
        { detail, cause: e },
      );
  }
}

// ---------------------------------------------------------------------------------------------
// sharp errors
// ---------------------------------------------------------------------------------------------

/** sharp messages that mean the pixel data itself is damaged or cut short. */
export function isDataDamage(msg: string): boolean {
  return /premature end|unexpected end|truncat|corrupt|read error|got \d+ bytes|not enough|damaged|crc/i.test(msg);
}

/** The message of whatever sharp threw. */
export function sharpMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** sharp's message on one line, without the decoder prefix, for user-facing remarks. */
export function shortSharpMessage(e: unknown): string {
  const line = sharpMessage(e).split('\n')[0] ?? '';
  return line.replace(/^(VipsJpeg|vipspng|tiff2vips|VipsForeignLoad\w*|webp2vips):\s*/i, '').trim() || 'decoder warning';
}

export type Sniffed =
  | { kind: 'image'; format: string }
  | { kind: 'foreign'; what: string; advice: string }
  | { kind: 'text' }
  | { kind: 'unknown' };

/** Recognises the file type from its first bytes. */
export function sniffFormat(h: Uint8Array): Sniffed {
  const at = (o: number, bytes: readonly number[]): boolean => bytes.every((b, i) => h[o + i] === b);
  const ascii = (o: number, s: string): boolean => at(o, [...s].map((c) => c.charCodeAt(0)));
  if (at(0, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a]) || at(0, [0x49, 0x49, 0x2b, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2b]))
    return { kind: 'image', format: 'tiff' };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return { kind: 'image', format: 'webp' };
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return { kind: 'image', format: 'gif' };
  const tiffAdvice = 'Re-save it as TIFF or PNG (for example in Fiji: File › Save As › Tiff).';
  if (ascii(0, 'ZISRAWFILE'))
    return { kind: 'foreign', what: 'a Zeiss CZI file', advice: 'Export it as TIFF from ZEN, or open it in Fiji and save it as TIFF.' };
  if (at(0, [0xda, 0xce, 0xbe, 0x0a]))
    return { kind: 'foreign', what: 'a Nikon ND2 file', advice: 'Export it as TIFF from NIS-Elements, or open it in Fiji and save it as TIFF.' };
  if (at(0, [0x70, 0x00, 0x00, 0x00]) && h[8] === 0x2a)
    return { kind: 'foreign', what: 'a Leica LIF file', advice: 'Export the images as TIFF from LAS X, or open it in Fiji and save it as TIFF.' };
  if (ascii(0, 'BM')) return { kind: 'foreign', what: 'a BMP image', advice: tiffAdvice };
  if (at(0, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || at(0, [0xff, 0x4f, 0xff, 0x51]))
    return { kind: 'foreign', what: 'a JPEG 2000 image', advice: tiffAdvice };
  if (ascii(4, 'ftyp')) return { kind: 'foreign', what: 'a HEIC/AVIF or video file', advice: tiffAdvice };
  if (ascii(0, '%PDF')) return { kind: 'foreign', what: 'a PDF document', advice: 'Export the image itself as TIFF or PNG.' };
  if (at(0, [0x50, 0x4b, 0x03, 0x04]))
    return { kind: 'foreign', what: 'a ZIP archive (or Office document)', advice: 'Unpack it and choose the image files inside.' };
  if (ascii(128, 'DICM')) return { kind: 'foreign', what: 'a DICOM file', advice: tiffAdvice };
  if (h.length > 0 && looksLikeText(h)) return { kind: 'text' };
  return { kind: 'unknown' };
}

function looksLikeText(h: Uint8Array): boolean {
  let bad = 0;
  for (const b of h) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) bad++;
  }
  return bad <= h.length * 0.02;
}

/** Converts an error thrown by sharp into an AppError. Never returns a non-AppError. */
export function classifySharpError(e: unknown, name: string, head: Uint8Array): AppError {
  if (e instanceof AppError) return e;
  const msg = sharpMessage(e);
  const detail = `sharp: ${msg}`;
  const sniffed = sniffFormat(head);
  if (/exceeds pixel limit/i.test(msg)) {
    return new AppError(
      'IMAGE_TOO_LARGE',
      `“${name}” is too large to open (more pixels than the limit). Export a smaller image or a region of it, or split it into tiles.`,
      { detail, cause: e },
    );
  }
  if (/channels? (?:exceeds|limit)|exceeds channel limit/i.test(msg)) {
    return new AppError(
      'IMAGE_UNSUPPORTED',
      `“${name}” has more colour channels than Calciquant can use. Export it as an RGB or grayscale TIFF.`,
      { detail, cause: e },
    );
  }
  if (/out of memory|not enough memory|memory allocation|cannot allocate/i.test(msg)) {
    return new AppError(
      'IMAGE_TOO_LARGE',
      `“${name}” is too large to decode with the memory available. Export a smaller image or a region of it.`,
      { detail, cause: e },
    );
  }
  if (/unsupported image format/i.test(msg)) {
    if (sniffed.kind === 'image') {
      return corruptError(name, `the ${FORMAT_LABEL[sniffed.format] ?? sniffed.format} header or directory is damaged`, detail, e);
    }
    if (sniffed.kind === 'foreign') {
      return new AppError('IMAGE_UNSUPPORTED', `“${name}” is ${sniffed.what}, which Calciquant cannot read. ${sniffed.advice}`, {
        detail,
        cause: e,
      });
    }
    const looks = sniffed.kind === 'text' ? 'it looks like a text file' : 'its content is not a known image format';
    return new AppError('IMAGE_UNSUPPORTED', `“${name}” is not an image Calciquant can read (${looks}). Use JPEG, PNG or TIFF.`, {
      detail,
      cause: e,
    });
  }
  if (/premature end|unexpected end|truncat|end of (?:file|stream|data)|not enough (?:image )?data|got \d+ bytes, expected/i.test(msg)) {
    return corruptError(name, 'the image data ends too early', detail, e);
  }
  if (/read error|corrupt|invalid|bad |crc|error|damaged/i.test(msg)) {
    return corruptError(name, 'part of the image data could not be decoded', detail, e);
  }
  return new AppError('IMAGE_UNREADABLE', `“${name}” could not be decoded (${shortSharpMessage(e)}). Re-save it as TIFF or PNG.`, {
    detail,
    cause: e,
  });
}

function corruptError(name: string, why: string, detail: string, cause: unknown): AppError {
  return new AppError(
    'IMAGE_UNREADABLE',
    `“${name}” is truncated or corrupt: ${why}. Re-copy it from the original source, or re-save it as TIFF or PNG.`,
    { detail, cause },
  );
}
