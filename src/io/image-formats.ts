/**
 * Image file extensions and format names: which files decodeImage reads, how formats are named in
 * messages, and the remark for a file whose extension does not match its content.
 */
import { extname } from 'node:path';

/** File extensions (lower case, with dot) of the formats decodeImage reads. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp'];

/** True if the path ends in one of {@link IMAGE_EXTENSIONS} (case-insensitive). */
export function isImagePath(p: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(p).toLowerCase());
}

/** Formats sharp may report for a file with this extension. */
const FORMATS_BY_EXTENSION: Record<string, readonly string[]> = {
  '.jpg': ['jpeg'],
  '.jpeg': ['jpeg'],
  '.jpe': ['jpeg'],
  '.jfif': ['jpeg'],
  '.png': ['png'],
  '.tif': ['tiff'],
  '.tiff': ['tiff'],
  '.webp': ['webp'],
  '.gif': ['gif'],
  '.avif': ['heif'],
};

/** User-facing names of the formats sharp reports ('jpeg' → 'JPEG', …). */
export const FORMAT_LABEL: Record<string, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  tiff: 'TIFF',
  webp: 'WebP',
  gif: 'GIF',
  heif: 'AVIF/HEIF',
  svg: 'SVG',
};

/** Remark for a file whose extension does not match its `format` (as sharp reports it); null if it does. */
export function extensionWarning(name: string, format: string): string | null {
  const ext = extname(name).toLowerCase();
  const label = FORMAT_LABEL[format] ?? format.toUpperCase();
  const expected = FORMATS_BY_EXTENSION[ext];
  if (expected?.includes(format)) return null;
  if (!expected) {
    return (
      `“${name}” ${ext ? `has the unusual extension “${ext}”` : 'has no file extension'} but is a ${label} image; ` +
      `it was read as ${label}. Rename it to end in .${extensionFor(format)} to avoid confusion.`
    );
  }
  return (
    `“${name}” is named like a ${FORMAT_LABEL[expected[0]!] ?? expected[0]!} file but is actually a ${label} image; ` +
    `it was read as ${label}. Rename it to end in .${extensionFor(format)} to avoid confusion.`
  );
}

function extensionFor(format: string): string {
  return format === 'jpeg' ? 'jpg' : format === 'tiff' ? 'tif' : format === 'heif' ? 'avif' : format;
}
