import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_EXTENSIONS, decodeImage, isImagePath, readImageInfo } from '../../../src/io/decode.js';
import * as F from '../helpers/image-fixtures.js';
import { decodeError, px, useTempDir } from './decode-helpers.js';

let dir = '';
useTempDir((d) => (dir = d));

describe('decodeImage: ordinary images', () => {
  it('decodes an 8-bit RGB JPEG', async () => {
    const file = await F.writeRgbJpeg(dir, 'gradient.jpg', 64, 48);
    const img = await decodeImage(file);
    expect(img).toMatchObject({
      width: 64,
      height: 48,
      bitDepth: 8,
      format: 'jpeg',
      pageCount: 1,
      page: 0,
      sourceChannels: 3,
      sourceColorSpace: 'srgb',
      isSingleChannel: false,
      pixelSizeUm: null,
      pixelSizeSource: 'none',
    });
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(img.data.length).toBe(64 * 48 * 3);
    expect(img.warnings).toEqual([]);
    // Gradient: R grows with x, G with y, B = 128 (JPEG: approximately).
    const [r0, g0, b0] = px(img, 0, 0);
    const [r1, g1] = px(img, 63, 47);
    expect(r0).toBeLessThan(10);
    expect(g0).toBeLessThan(10);
    expect(Math.abs(b0! - 128)).toBeLessThan(6);
    expect(r1).toBeGreaterThan(245);
    expect(g1).toBeGreaterThan(245);
  });

  it('decodes PNG pixels exactly', async () => {
    const pixels = Buffer.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 255, 0, 1]);
    const file = await F.writeRgbPng(dir, 'exact.png', 2, 2, { pixels });
    const img = await decodeImage(file);
    expect([...img.data]).toEqual([...pixels]);
    expect(img.format).toBe('png');
  });

  it('decodes a 1×1 image', async () => {
    const file = await F.writeRgbPng(dir, 'one.png', 1, 1, { rgb: [1, 2, 3] });
    const img = await decodeImage(file);
    expect(img.width).toBe(1);
    expect(img.height).toBe(1);
    expect([...img.data]).toEqual([1, 2, 3]);
  });

  it('reads a path with spaces and non-ASCII characters', async () => {
    const sub = join(dir, 'Sub dir ß');
    await mkdir(sub, { recursive: true });
    const file = await F.writeTiff(sub, 'Probe Ä µ 1.tif', [F.rgbPage(3, 2, [11, 22, 33])]);
    const img = await decodeImage(file);
    expect(img.format).toBe('tiff');
    expect(px(img, 2, 1)).toEqual([11, 22, 33]);
    const empty = await F.writeZeroByte(sub, 'Probe Ä µ 2.tif');
    const e = await decodeError(empty);
    expect(e.userMessage).toContain('“Probe Ä µ 2.tif”');
  });
});

describe('decodeImage: bit depth', () => {
  it('keeps a 16-bit TIFF at 16 bits with exact values (1000 stays 1000)', async () => {
    const file = await F.writeTiff16(dir, 'sixteen.tif', 5, 4, [1000, 2000, 65535]);
    const img = await decodeImage(file);
    expect(img.bitDepth).toBe(16);
    expect(img.data).toBeInstanceOf(Uint16Array);
    expect(img.sourceColorSpace).toBe('rgb16');
    expect(img.data.length).toBe(5 * 4 * 3);
    for (let i = 0; i < 20; i++) expect(px(img, i % 5, Math.floor(i / 5))).toEqual([1000, 2000, 65535]);
  });

  it('keeps every 16-bit value, in little- and big-endian and BigTIFF files', async () => {
    const values = [0, 1, 2, 255, 256, 257, 1000, 1028, 4095, 32767, 32768, 65534, 65535, 12345, 54321];
    const data = new Uint16Array(values.length * 3);
    values.forEach((v, i) => data.set([v, 65535 - v, (v * 7) % 65536], i * 3));
    for (const opts of [{}, { littleEndian: false }, { bigTiff: true }]) {
      const file = await F.writeTiff(dir, `values-${JSON.stringify(opts).replace(/\W/g, '')}.tif`, [
        { width: values.length, height: 1, samples: 3, data },
      ], opts);
      const img = await decodeImage(file);
      expect(img.bitDepth).toBe(16);
      expect([...img.data]).toEqual([...data]);
    }
  });

  it('keeps 8-bit images at 8 bits', async () => {
    const img = await decodeImage(await F.writeTiff(dir, 'eight.tif', [F.rgbPage(2, 2, [1, 128, 255])]));
    expect(img.bitDepth).toBe(8);
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(px(img, 1, 1)).toEqual([1, 128, 255]);
  });

  it('expands 16-bit grayscale (PNG and TIFF) to three equal 16-bit channels', async () => {
    for (const format of ['png', 'tiff'] as const) {
      const file = await F.writeGray(dir, `gray16.${format}`, 3, 2, { bitDepth: 16, value: 1000, format });
      const img = await decodeImage(file);
      expect(img.bitDepth).toBe(16);
      expect(img.isSingleChannel).toBe(true);
      expect(img.sourceChannels).toBe(1);
      expect(img.sourceColorSpace).toBe('grey16');
      expect([...img.data]).toEqual(Array(18).fill(1000));
    }
  });

  it('rejects 32-bit floating-point TIFF with advice', async () => {
    const file = await F.writeTiff(dir, 'float.tif', [
      { width: 2, height: 2, samples: 1, data: new Float32Array([0.1, 0.2, 0.3, 0.4]) },
    ]);
    const e = await decodeError(file);
    expect(e.code).toBe('IMAGE_UNSUPPORTED');
    expect(e.userMessage).toBe(
      '“float.tif” has 32-bit floating-point pixel values, which Calciquant cannot measure. ' +
        'Export it as an 8-bit or 16-bit TIFF (in Fiji: Image › Type › 16-bit or RGB Color).',
    );
  });
});

describe('decodeImage: colour spaces, alpha, orientation', () => {
  it('converts CMYK to sRGB', async () => {
    const file = await F.writeCmykJpeg(dir, 'cmyk.jpg', 4, 4, [200, 40, 40]);
    const img = await decodeImage(file);
    expect(img.sourceColorSpace).toBe('cmyk');
    expect(img.sourceChannels).toBe(4);
    expect(img.data.length).toBe(4 * 4 * 3);
    const [r, g, b] = px(img, 1, 1);
    // A strong red survives the CMYK round trip (the print gamut shifts it a little).
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    expect(img.warnings).toContain('“cmyk.jpg” is stored in CMYK (print colours); it was converted to RGB, so colours may differ slightly.');
  });

  it('converts a 16-bit CMYK TIFF to 16-bit RGB', async () => {
    const data = new Uint16Array(2 * 2 * 4);
    for (let i = 0; i < 4; i++) data.set([0, 0, 0, 0], i * 4); // no ink = white
    const file = await F.writeTiff(dir, 'cmyk16.tif', [{ width: 2, height: 2, samples: 4, data, photometric: 5 }]);
    const img = await decodeImage(file);
    expect(img.sourceColorSpace).toBe('cmyk');
    expect(img.bitDepth).toBe(16);
    for (const v of img.data) expect(v).toBeGreaterThan(60000);
  });

  it('expands 8-bit grayscale to three equal channels and says so', async () => {
    const file = await F.writeGray(dir, 'gray.png', 4, 3, { value: 77 });
    const img = await decodeImage(file);
    expect(img.isSingleChannel).toBe(true);
    expect(img.sourceChannels).toBe(1);
    expect(img.sourceColorSpace).toBe('b-w');
    expect(img.bitDepth).toBe(8);
    expect([...img.data]).toEqual(Array(4 * 3 * 3).fill(77));
    expect(img.warnings).toEqual([
      '“gray.png” is a single-channel (grayscale) image. It is shown as gray, and stains cannot be told apart ' +
        'by colour. Use an RGB brightfield image for colour-based stain measurements.',
    ]);
  });

  it('maps every 8-bit gray level to itself', async () => {
    const ramp = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) ramp[i] = i;
    const file = join(dir, 'ramp.png');
    await sharp(ramp, { raw: { width: 256, height: 1, channels: 1 } }).toColourspace('b-w').png().toFile(file);
    const img = await decodeImage(file);
    for (let i = 0; i < 256; i++) expect(px(img, i, 0)).toEqual([i, i, i]);
  });

  it('flattens RGBA onto white and warns only when a pixel was transparent', async () => {
    const t = await decodeImage(await F.writeRgba(dir, 'rgba-t.png', 3, 2, { rgb: [200, 100, 50], transparentPixel: 0 }));
    expect(t.sourceChannels).toBe(4);
    expect(px(t, 0, 0)).toEqual([255, 255, 255]);
    expect(px(t, 1, 0)).toEqual([200, 100, 50]);
    expect(t.warnings).toEqual(['Transparent areas of “rgba-t.png” were filled with white.']);

    const half = await decodeImage(await F.writeRgba(dir, 'rgba-half.png', 1, 1, { rgb: [0, 100, 255], alpha: 128 }));
    // c' = (c·a + 255·(255 − a)) / 255
    expect(px(half, 0, 0)).toEqual([127, 177, 255]);

    const opaque = await decodeImage(await F.writeRgba(dir, 'rgba-o.png', 3, 2, { rgb: [200, 100, 50] }));
    expect(opaque.sourceChannels).toBe(4);
    expect(px(opaque, 2, 1)).toEqual([200, 100, 50]);
    expect(opaque.warnings).toEqual([]);
  });

  it('flattens gray+alpha', async () => {
    const img = await decodeImage(await F.writeRgba(dir, 'ga.png', 2, 1, { gray: true, rgb: [200, 0, 0], alpha: 128 }));
    expect(img.sourceChannels).toBe(2);
    expect(img.isSingleChannel).toBe(true);
    expect(px(img, 0, 0)).toEqual([227, 227, 227]);
    expect(img.warnings[0]).toBe('Transparent areas of “ga.png” were filled with white.');
  });

  it('flattens 16-bit RGBA in 16 bits', async () => {
    const data = new Uint16Array([1000, 2000, 3000, 0, 1000, 2000, 3000, 65535]);
    const img = await decodeImage(await F.writeTiff(dir, 'rgba16.tif', [{ width: 2, height: 1, samples: 4, data }]));
    expect(img.bitDepth).toBe(16);
    expect([...img.data]).toEqual([65535, 65535, 65535, 1000, 2000, 3000]);
  });

  it('applies EXIF orientation: a 2×1 image with orientation 6 becomes 1×2, left pixel on top', async () => {
    const file = await F.writeExifRotated(dir, 'rotated.jpg'); // stored: red | blue
    const img = await decodeImage(file);
    expect([img.width, img.height]).toEqual([1, 2]);
    const [top, bottom] = [px(img, 0, 0), px(img, 0, 1)];
    expect(top[0]).toBeGreaterThan(240);
    expect(top[2]).toBeLessThan(15);
    expect(bottom[2]).toBeGreaterThan(240);
    expect(bottom[0]).toBeLessThan(15);
    const info = await readImageInfo(file);
    expect([info.width, info.height]).toEqual([1, 2]);
  });

  it('applies orientation 3 (180°): blue comes first', async () => {
    const img = await decodeImage(await F.writeExifRotated(dir, 'rot180.jpg', { orientation: 3 }));
    expect([img.width, img.height]).toEqual([2, 1]);
    expect(px(img, 0, 0)[2]).toBeGreaterThan(240);
    expect(px(img, 1, 0)[0]).toBeGreaterThan(240);
  });

  it('applies the TIFF Orientation tag', async () => {
    const data = new Uint8Array([255, 0, 0, 0, 0, 255]); // red | blue
    const file = await F.writeTiff(dir, 'orient.tif', [{ width: 2, height: 1, samples: 3, data, orientation: 6 }]);
    const img = await decodeImage(file);
    expect([img.width, img.height]).toEqual([1, 2]);
    expect(px(img, 0, 0)).toEqual([255, 0, 0]);
    expect(px(img, 0, 1)).toEqual([0, 0, 255]);
  });
});

describe('decodeImage: multi-page TIFF', () => {
  it('uses the first page by default and says so', async () => {
    const file = await F.writeMultiPageTiff(dir, 'stack.tif');
    const img = await decodeImage(file);
    expect(img.pageCount).toBe(3);
    expect(img.page).toBe(0);
    expect(px(img, 0, 0)).toEqual([255, 0, 0]);
    expect(img.warnings).toEqual([
      '“stack.tif” has 3 pages; page 1 of 3 was used. Choose another page if that is not the image to analyse.',
    ]);
  });

  it('decodes the requested page', async () => {
    const file = await F.writeMultiPageTiff(dir, 'stack2.tif');
    const img = await decodeImage(file, { page: 2 });
    expect(img.page).toBe(2);
    expect(px(img, 3, 2)).toEqual([0, 0, 255]);
    expect(img.warnings).toEqual(['“stack2.tif” has 3 pages; page 3 of 3 was used.']);
    const g = await decodeImage(file, { page: 1 });
    expect(px(g, 0, 0)).toEqual([0, 255, 0]);
  });

  it('decodes a page of a different size (e.g. a pyramid level)', async () => {
    const file = await F.writeTiff(dir, 'levels.tif', [F.rgbPage(8, 6, [1, 1, 1]), F.rgbPage(4, 3, [2, 2, 2])]);
    const img = await decodeImage(file, { page: 1 });
    expect([img.width, img.height]).toEqual([4, 3]);
    expect(px(img, 3, 2)).toEqual([2, 2, 2]);
    expect(await readImageInfo(file, { page: 1 })).toMatchObject({ width: 4, height: 3, pageCount: 2 });
  });

  it('rejects a page that does not exist, and invalid page numbers', async () => {
    const file = await F.writeMultiPageTiff(dir, 'stack3.tif');
    const e = await decodeError(file, { page: 3 });
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.userMessage).toBe('“stack3.tif” has 3 pages; page 4 does not exist. Choose a page from 1 to 3.');
    const single = await F.writeRgbPng(dir, 'single.png', 2, 2);
    expect((await decodeError(single, { page: 1 })).userMessage).toBe(
      '“single.png” has only one page; page 2 does not exist. Use page 1.',
    );
    for (const page of [-1, 1.5, Number.NaN]) expect((await decodeError(file, { page })).code).toBe('INPUT_INVALID');
  });
});

describe('decodeImage: calibration', () => {
  it('reads ImageJ calibration', async () => {
    const img = await decodeImage(await F.writeImageJTiff(dir, 'ij.tif', 0.5));
    expect(img.pixelSizeUm).toBeCloseTo(0.5, 9);
    expect(img.pixelSizeSource).toBe('imagej');
    expect(img.warnings).toEqual([]);
  });

  it('reads ImageJ calibration written as \\u00B5m and in nm', async () => {
    const a = await decodeImage(await F.writeImageJTiff(dir, 'ij-mu.tif', 0.65, { unit: '\\u00B5m' }));
    expect(a.pixelSizeUm).toBeCloseTo(0.65, 6);
    const b = await decodeImage(await F.writeImageJTiff(dir, 'ij-nm.tif', 0.25, { unit: 'nm', unitsPerPx: 250 }));
    expect(b.pixelSizeUm).toBeCloseTo(0.25, 6);
    expect(b.pixelSizeSource).toBe('imagej');
  });

  it('reads OME-XML calibration', async () => {
    const img = await decodeImage(await F.writeOmeTiff(dir, 'ome.tif', 0.325));
    expect(img.pixelSizeUm).toBeCloseTo(0.325, 9);
    expect(img.pixelSizeSource).toBe('ome-xml');
  });

  it('reads plain TIFF resolution (pixels per centimetre and per inch)', async () => {
    const cm = await decodeImage(await F.writeTiff(dir, 'res-cm.tif', [
      F.rgbPage(2, 2, [1, 1, 1], { xResolution: 20_000, yResolution: 20_000, resolutionUnit: 3 }),
    ]));
    expect(cm.pixelSizeUm).toBeCloseTo(0.5, 9);
    expect(cm.pixelSizeSource).toBe('tiff-resolution');
    const inch = await decodeImage(await F.writeTiff(dir, 'res-in.tif', [
      F.rgbPage(2, 2, [1, 1, 1], { xResolution: 50_800, yResolution: 50_800, resolutionUnit: 2 }),
    ]));
    expect(inch.pixelSizeUm).toBeCloseTo(0.5, 9);
  });

  it('ignores screen DPI and unit-less resolution', async () => {
    for (const [dpi, unit] of [[72, 2], [300, 2], [96, undefined], [20_000, 1]] as const) {
      const img = await decodeImage(await F.writeTiff(dir, `dpi-${dpi}-${String(unit)}.tif`, [
        F.rgbPage(2, 2, [1, 1, 1], { xResolution: dpi, yResolution: dpi, ...(unit ? { resolutionUnit: unit } : {}) }),
      ]));
      expect(img.pixelSizeUm).toBeNull();
      expect(img.pixelSizeSource).toBe('none');
    }
    // A sharp/libvips-written TIFF and a JPEG with 72 dpi carry no calibration either.
    const vips = join(dir, 'vips.tif');
    await sharp(F.gradientRgb8(4, 4), { raw: { width: 4, height: 4, channels: 3 } }).tiff().toFile(vips);
    expect((await decodeImage(vips)).pixelSizeSource).toBe('none');
    expect((await decodeImage(await F.writeRgbJpeg(dir, 'dpi.jpg', 4, 4))).pixelSizeSource).toBe('none');
  });

  it('applies precedence: user > OME-XML > TIFF resolution', async () => {
    const file = await F.writeOmeTiff(dir, 'ome-res.tif', 0.325, { tiffRes: { x: 20_000, unit: 3 } });
    expect((await decodeImage(file)).pixelSizeUm).toBeCloseTo(0.325, 9);
    const user = await decodeImage(file, { pixelSizeUm: 1.25 });
    expect(user.pixelSizeUm).toBe(1.25);
    expect(user.pixelSizeSource).toBe('user');
    const info = await readImageInfo(file, { pixelSizeUm: 2 });
    expect(info).toMatchObject({ pixelSizeUm: 2, pixelSizeSource: 'user' });
  });

  it('uses X and warns for non-square pixels', async () => {
    const img = await decodeImage(await F.writeOmeTiff(dir, 'ome-rect.tif', 0.5, { sizeY: 0.6 }));
    expect(img.pixelSizeUm).toBe(0.5);
    expect(img.warnings).toEqual([
      'Pixels are not square (0.5 µm wide × 0.6 µm high, from the OME metadata); the width 0.5 µm is used as the pixel size, ' +
        'so areas may be off by 20 %. Enter the pixel size yourself if this is wrong.',
    ]);
  });

  it('takes ImageJ calibration from the first page when a later page is decoded', async () => {
    const desc = 'ImageJ=1.54f\nimages=2\nslices=2\nunit=micron\nspacing=2.5\n';
    const file = await F.writeTiff(dir, 'ij-stack.tif', [
      F.rgbPage(4, 3, [1, 1, 1], { description: desc, xResolution: 4, yResolution: 4, resolutionUnit: 1 }),
      F.rgbPage(4, 3, [2, 2, 2], { xResolution: 4, yResolution: 4, resolutionUnit: 1 }),
    ]);
    const img = await decodeImage(file, { page: 1 });
    expect(px(img, 0, 0)).toEqual([2, 2, 2]);
    expect(img.pixelSizeUm).toBeCloseTo(0.25, 9);
    expect(img.pixelSizeSource).toBe('imagej');
  });
});

describe('readImageInfo', () => {
  it('reports header facts without decoding pixels', async () => {
    const info = await readImageInfo(await F.writeTiff16(dir, 'info16.tif', 7, 5));
    expect(info).toEqual({
      width: 7,
      height: 5,
      format: 'tiff',
      pageCount: 1,
      pixelSizeUm: null,
      pixelSizeSource: 'none',
      sourceChannels: 3,
      bitDepth: 16,
    });
    const ij = await readImageInfo(await F.writeImageJTiff(dir, 'info-ij.tif', 0.8));
    expect(ij.pixelSizeUm).toBeCloseTo(0.8, 9);
    expect((await readImageInfo(await F.writeMultiPageTiff(dir, 'info-stack.tif'))).pageCount).toBe(3);
  });

  it('does not need the pixel data (a truncated JPEG still has a header)', async () => {
    const info = await readImageInfo(await F.writeTruncated(dir, 'info-cut.jpg', { fraction: 0.5 }));
    expect(info).toMatchObject({ width: 64, height: 48, format: 'jpeg' });
  });

  it('fails like decodeImage on bad files', async () => {
    await expect(readImageInfo(await F.writeZeroByte(dir, 'info0.tif'))).rejects.toMatchObject({
      code: 'IMAGE_UNREADABLE',
      userMessage: '“info0.tif” is empty (0 bytes). Re-export the image from the microscope software.',
    });
    await expect(readImageInfo(await F.writeNotAnImage(dir, 'info.txt'))).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
  });
});

describe('IMAGE_EXTENSIONS / isImagePath', () => {
  it('lists lower-case extensions that sharp can read', () => {
    expect(IMAGE_EXTENSIONS).toEqual(expect.arrayContaining(['.jpg', '.jpeg', '.png', '.tif', '.tiff']));
    const readable = new Set(
      Object.values(sharp.format).flatMap((f) => (f.input.file ? (f.input.fileSuffix ?? []) : [])),
    );
    for (const ext of IMAGE_EXTENSIONS) {
      expect(ext).toBe(ext.toLowerCase());
      expect(readable.has(ext)).toBe(true);
    }
  });

  it('recognises image paths case-insensitively', () => {
    expect(isImagePath('/data/Probe Ä µ 1.TIF')).toBe(true);
    expect(isImagePath('a.jpeg')).toBe(true);
    expect(isImagePath('notes.txt')).toBe(false);
    expect(isImagePath('tif')).toBe(false);
    expect(isImagePath('archive.tif.zip')).toBe(false);
    expect(isImagePath('old.bmp')).toBe(false);
  });
});
