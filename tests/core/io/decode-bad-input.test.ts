/** decodeImage on broken, hostile and wrong files: each gets a clear message naming the file. */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PIXELS, decodeImage, readImageInfo } from '../../../src/io/decode.js';
import * as F from '../helpers/image-fixtures.js';
import { decodeError, px, useTempDir, type Caught } from './decode-helpers.js';

let dir = '';
useTempDir((d) => (dir = d));

describe('decodeImage: broken, hostile and wrong files', () => {
  it('reports an empty file', async () => {
    const e = await decodeError(await F.writeZeroByte(dir, 'x.tif'));
    expect(e).toMatchObject({
      code: 'IMAGE_UNREADABLE',
      userMessage: '“x.tif” is empty (0 bytes). Re-export the image from the microscope software.',
    });
  });

  it.each(['jpeg', 'png', 'tiff'] as const)('reports a truncated %s file as an error', async (format) => {
    const name = `cut.${format}`;
    const e = await decodeError(await F.writeTruncated(dir, name, { format }));
    expect(e.code).toBe('IMAGE_UNREADABLE');
    expect(e.userMessage).toMatch(new RegExp(`^“${name}” is truncated or corrupt: .+\\. Re-copy it from the original source, or re-save it as TIFF or PNG\\.$`));
    expect(e.message).toMatch(/^IMAGE_UNREADABLE: sharp: /); // sharp's own text is in the detail
  });

  it('says a truncated JPEG "ends too early"', async () => {
    const e = await decodeError(await F.writeTruncated(dir, 'x.jpg', { format: 'jpeg', fraction: 0.5 }));
    expect(e.userMessage).toBe(
      '“x.jpg” is truncated or corrupt: the image data ends too early. Re-copy it from the original source, or re-save it as TIFF or PNG.',
    );
    expect(e.message).toContain('premature end');
  });

  it('reports a TIFF whose header survives but whose directory is cut off', async () => {
    // Writers such as libtiff often put the IFD after the pixels; a cut file then points past its end.
    const file = join(dir, 'cut-ifd.tif');
    const full = F.encodeTiff([F.rgbPage(8, 8, [1, 2, 3])]);
    full.writeUInt32LE(full.length + 4096, 4); // first IFD offset beyond the end of the file
    await writeFile(file, full);
    const e = await decodeError(file);
    expect(e.code).toBe('IMAGE_UNREADABLE');
    expect(e.userMessage).toBe(
      '“cut-ifd.tif” is truncated or corrupt: the TIFF header or directory is damaged. Re-copy it from the original source, or re-save it as TIFF or PNG.',
    );
    expect(e.message).toContain('unsupported image format');
  });

  it('reports corrupt JPEG data in the middle of the file', async () => {
    const e = await decodeError(await F.writeCorruptJpeg(dir, 'corrupt.jpg'));
    expect(e.code).toBe('IMAGE_UNREADABLE');
    expect(e.userMessage).toContain('“corrupt.jpg” is truncated or corrupt');
    expect(e.message).toContain('Corrupt JPEG data');
  });

  it('decodes a JPEG with a harmless format slip (invalid SOS parameters) and remarks on it', async () => {
    const img = await decodeImage(await F.writeJpegWithInvalidSos(dir, 'phone.jpg', 16, 16, [200, 100, 50]));
    const [r, g, b] = px(img, 8, 8);
    expect(Math.abs(r! - 200)).toBeLessThan(4);
    expect(Math.abs(g! - 100)).toBeLessThan(4);
    expect(Math.abs(b! - 50)).toBeLessThan(4);
    expect(img.warnings).toEqual([
      '“phone.jpg” has a minor format defect (Invalid SOS parameters for sequential JPEG); it was decoded anyway. ' +
        'Check that the image looks right, and re-export it from the original software if it does not.',
    ]);
  });

  it('decodes by content when the extension is wrong, with a warning', async () => {
    const img = await decodeImage(await F.writeRgbPng(dir, 'really-png.jpg', 2, 2, { rgb: [5, 6, 7] }));
    expect(img.format).toBe('png');
    expect(px(img, 1, 1)).toEqual([5, 6, 7]);
    expect(img.warnings).toEqual([
      '“really-png.jpg” is named like a JPEG file but is actually a PNG image; it was read as PNG. Rename it to end in .png to avoid confusion.',
    ]);
    const tif = await decodeImage(await F.writeTiff(dir, 'scan.dat', [F.rgbPage(2, 2, [1, 2, 3])]));
    expect(tif.format).toBe('tiff');
    expect(tif.warnings).toEqual([
      '“scan.dat” has the unusual extension “.dat” but is a TIFF image; it was read as TIFF. Rename it to end in .tif to avoid confusion.',
    ]);
    const upper = await decodeImage(await F.writeRgbJpeg(dir, 'UPPER.JPEG', 2, 2));
    expect(upper.warnings).toEqual([]);
  });

  it('reports a text file as not an image', async () => {
    const e = await decodeError(await F.writeNotAnImage(dir, 'notes.txt'));
    expect(e).toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
      userMessage: '“notes.txt” is not an image Calciquant can read (it looks like a text file). Use JPEG, PNG or TIFF.',
    });
    expect(e.message).toContain('unsupported image format');
    const bin = await decodeError(await F.writeNotAnImage(dir, 'blob.tif', Buffer.from([0, 1, 2, 3, 250, 251, 0, 9])));
    expect(bin.userMessage).toBe(
      '“blob.tif” is not an image Calciquant can read (its content is not a known image format). Use JPEG, PNG or TIFF.',
    );
  });

  it('names known microscope and foreign formats', async () => {
    const czi = Buffer.concat([Buffer.from('ZISRAWFILE', 'latin1'), Buffer.alloc(100)]);
    expect((await decodeError(await F.writeNotAnImage(dir, 'well.czi', czi))).userMessage).toBe(
      '“well.czi” is a Zeiss CZI file, which Calciquant cannot read. Export it as TIFF from ZEN, or open it in Fiji and save it as TIFF.',
    );
    const bmp = Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]);
    const e = await decodeError(await F.writeNotAnImage(dir, 'old.bmp', bmp));
    expect(e.code).toBe('IMAGE_UNSUPPORTED');
    expect(e.userMessage).toContain('“old.bmp” is a BMP image');
  });

  it('refuses a 100 000 × 100 000 PNG bomb quickly, before decoding', async () => {
    const file = await F.writeBombPng(dir);
    expect((await readFile(file)).length).toBeLessThan(100);
    const t0 = Date.now();
    const e = await decodeError(file);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e.code).toBe('IMAGE_TOO_LARGE');
    expect(e.userMessage).toBe(
      '“bomb.png” is too large to open: 100000 × 100000 pixels (10000 megapixels), the limit is 268 megapixels. ' +
        'Export a smaller image or a region of it, or split it into tiles.',
    );
    // The header is valid (correct CRCs): sharp reads its size, and readImageInfo reports it.
    const info = await readImageInfo(file);
    expect(info).toMatchObject({ width: 100_000, height: 100_000, format: 'png', bitDepth: 8 });
  });

  it('honours maxPixels', async () => {
    const file = await F.writeRgbPng(dir, 'small.png', 40, 30);
    const e = await decodeError(file, { maxPixels: 1000 });
    expect(e.code).toBe('IMAGE_TOO_LARGE');
    expect(e.userMessage).toContain('40 × 30 pixels');
    expect((await decodeImage(file, { maxPixels: 1200 })).width).toBe(40);
    expect(DEFAULT_MAX_PIXELS).toBe(268_402_689);
    expect((await decodeError(file, { maxPixels: 0 })).code).toBe('INPUT_INVALID');
  });

  it('reports a missing file and a folder', async () => {
    expect(await decodeError(join(dir, 'gone.tif'))).toMatchObject({
      code: 'IMAGE_UNREADABLE',
      userMessage: '“gone.tif” was not found. Check that the file still exists and was not moved or renamed.',
    });
    const folder = join(dir, 'a folder.tif');
    await mkdir(folder);
    expect(await decodeError(folder)).toMatchObject({
      code: 'INPUT_INVALID',
      userMessage: '“a folder.tif” is a folder, not an image file. Choose the image files inside it.',
    });
  });

  it('reports a file without read permission', async (ctx) => {
    const locked = join(dir, 'locked.tif');
    await F.writeTiff(dir, 'locked.tif', [F.rgbPage(2, 2, [1, 2, 3])]);
    await chmod(locked, 0o000);
    const expected = {
      code: 'IMAGE_UNREADABLE',
      userMessage:
        '“locked.tif” cannot be read: permission denied. Ask the owner for read access, or copy the image to a folder of your own.',
    };
    let canStillRead = true; // probe: root (and some file systems) ignore the mode bits
    try {
      await readFile(locked);
    } catch {
      canStillRead = false;
    }
    try {
      if (!canStillRead) {
        expect(await decodeError(locked)).toMatchObject(expected);
        return;
      }
      // Running as root: repeat the check in a child process as user "nobody", if possible.
      if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
        ctx.skip('the file stays readable despite chmod 000 on this file system');
        return;
      }
      await chmod(dir, 0o755); // mkdtemp makes 0700: let "nobody" reach the file itself
      const res = runAsNobody(locked);
      if (res === null) {
        ctx.skip('running as root and cannot start a child process as user "nobody"');
        return;
      }
      expect(res).toMatchObject(expected);
    } finally {
      await chmod(locked, 0o644);
    }
  });

  it('never lets a raw sharp error escape', async () => {
    const files = [
      await F.writeZeroByte(dir, 'z.png'),
      await F.writeTruncated(dir, 't.jpg'),
      await F.writeNotAnImage(dir, 'n.tif'),
      await F.writeBombPng(dir, 'b.png'),
      await F.writeNotAnImage(dir, 'tiff-header-only.tif', Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f])),
      await F.writeNotAnImage(dir, 'png-sig-only.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ];
    for (const f of files) {
      const e = await decodeError(f);
      expect(e.name).toBe('AppError');
      expect(e.userMessage).toMatch(/^“[^”]+” /);
      for (const fn of [readImageInfo]) {
        try {
          await fn(f);
        } catch (x) {
          expect((x as Caught).name).toBe('AppError');
        }
      }
    }
  });

  it('rejects an invalid user pixel size', async () => {
    const file = await F.writeRgbPng(dir, 'cal.png', 2, 2);
    for (const pixelSizeUm of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e = await decodeError(file, { pixelSizeUm });
      expect(e.code).toBe('INPUT_INVALID');
      expect(e.userMessage).toContain('“cal.png”');
    }
  });
});


/**
 * Runs decodeImage on `file` in a child process as user "nobody" (uid 65534). Returns the error
 * fields, or null when the child cannot be started that way (no tsx, no such user, …).
 */
function runAsNobody(file: string): { code?: string; userMessage?: string } | null {
  const decodeUrl = new URL('../../../src/io/decode.ts', import.meta.url).href;
  const script =
    `import { decodeImage } from ${JSON.stringify(decodeUrl)};` +
    'try { await decodeImage(process.argv[1]); console.log(JSON.stringify({ ok: true })); }' +
    ' catch (e) { console.log(JSON.stringify({ code: e.code, userMessage: e.userMessage })); }';
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file], {
    uid: 65534,
    gid: 65534,
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, HOME: '/tmp' },
  });
  if (r.error || r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { code?: string; userMessage?: string };
  } catch {
    return null;
  }
}
