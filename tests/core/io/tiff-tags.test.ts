import { describe, expect, it } from 'vitest';
import {
  MAX_DESCRIPTION_BYTES,
  readTiffTags,
  tiffTagReader,
  type TiffTags,
} from '../../../src/io/tiff-tags.js';
import { encodeTiff, omeXml, rgbPage, type TiffPageSpec } from '../helpers/image-fixtures.js';
import { rng } from '../helpers/rasters.js';


const calibrated: TiffPageSpec = rgbPage(6, 4, [10, 20, 30], {
  description: 'ImageJ=1.54f\nunit=micron\n',
  xResolution: [3, 2],
  yResolution: [5, 4],
  resolutionUnit: 3,
});

function expectWellFormed(t: TiffTags | null): void {
  if (t === null) return;
  expect(typeof t.littleEndian).toBe('boolean');
  expect(typeof t.bigTiff).toBe('boolean');
  for (const v of [t.xResolution, t.yResolution]) {
    if (v !== null) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
  }
  if (t.resolutionUnit !== null) expect(Number.isInteger(t.resolutionUnit)).toBe(true);
  if (t.imageDescription !== null) expect(typeof t.imageDescription).toBe('string');
}

describe('readTiffTags', () => {
  it.each([
    ['little-endian', {}],
    ['big-endian', { littleEndian: false }],
    ['BigTIFF', { bigTiff: true }],
    ['big-endian BigTIFF', { bigTiff: true, littleEndian: false }],
  ])('reads description, resolution and unit (%s)', (_label, opts) => {
    const t = readTiffTags(encodeTiff([calibrated], opts));
    expect(t).toEqual({
      littleEndian: !('littleEndian' in opts),
      bigTiff: 'bigTiff' in opts,
      imageDescription: 'ImageJ=1.54f\nunit=micron',
      xResolution: 1.5,
      yResolution: 1.25,
      resolutionUnit: 3,
    });
  });

  it('reads the requested page', () => {
    const buf = encodeTiff([
      rgbPage(2, 2, [1, 1, 1], { description: 'first', xResolution: 100, resolutionUnit: 3 }),
      rgbPage(2, 2, [2, 2, 2], { xResolution: 200, resolutionUnit: 2 }),
      rgbPage(2, 2, [3, 3, 3], { description: 'third' }),
    ]);
    expect(readTiffTags(buf, 0)).toMatchObject({ imageDescription: 'first', xResolution: 100, resolutionUnit: 3 });
    expect(readTiffTags(buf, 1)).toMatchObject({ imageDescription: null, xResolution: 200, resolutionUnit: 2 });
    expect(readTiffTags(buf, 2)).toMatchObject({ imageDescription: 'third', xResolution: null, resolutionUnit: null });
    expect(readTiffTags(buf, 3)).toMatchObject({ imageDescription: null, xResolution: null }); // no such page
    expect(readTiffTags(buf, -1)).toMatchObject({ imageDescription: null });
  });

  it('reads UTF-8 OME-XML descriptions', () => {
    const xml = omeXml(0.5, 0.5, 'µm');
    expect(readTiffTags(encodeTiff([rgbPage(2, 2, [0, 0, 0], { description: xml })]))?.imageDescription).toBe(xml);
  });

  it('returns null for data that is not TIFF', () => {
    expect(readTiffTags(Buffer.alloc(0))).toBeNull();
    expect(readTiffTags(Buffer.from('hello world'))).toBeNull();
    expect(readTiffTags(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBeNull();
    expect(readTiffTags(Buffer.from([0x49, 0x49, 0x2a]))).toBeNull(); // header cut
    expect(readTiffTags(Buffer.from([0x49, 0x49, 0x2c, 0, 8, 0, 0, 0]))).toBeNull(); // unknown version
  });

  it('returns nulls for a cyclic IFD chain instead of looping', () => {
    const buf = encodeTiff([rgbPage(2, 2, [1, 1, 1], { description: 'x' })]);
    // Point the first IFD's next-IFD field back at itself.
    const ifd = buf.readUInt32LE(4);
    const n = buf.readUInt16LE(ifd);
    buf.writeUInt32LE(ifd, ifd + 2 + n * 12);
    expect(readTiffTags(buf, 0)?.imageDescription).toBe('x');
    expect(readTiffTags(buf, 5)).toMatchObject({ imageDescription: null, xResolution: null });
  });

  it('ignores zero denominators and wrong types', () => {
    const buf = encodeTiff([
      rgbPage(2, 2, [1, 1, 1], {
        xResolution: [300, 0],
        yResolution: [0, 1],
        extraTags: [],
      }),
    ]);
    expect(readTiffTags(buf)).toMatchObject({ xResolution: null, yResolution: null });
  });

  it('reads only the bytes it needs, however large the pixel data', () => {
    const big = rgbPage(1024, 1024, [1, 2, 3], { description: 'ImageJ=1.54f\nunit=micron\n', xResolution: 2 });
    const buf = encodeTiff([big, big, { ...big, description: 'page 3' }]); // ~9 MB
    const gen = tiffTagReader(2);
    let step = gen.next();
    let requested = 0;
    let requests = 0;
    while (!step.done) {
      requested += step.value.length;
      requests++;
      step = gen.next(buf.subarray(step.value.offset, step.value.offset + step.value.length));
    }
    expect(step.value?.imageDescription).toBe('page 3');
    expect(buf.length).toBeGreaterThan(9_000_000);
    expect(requested).toBeLessThan(1024);
    expect(requests).toBeLessThan(12);
  });

  it('caps the description request for absurd counts', () => {
    const buf = encodeTiff([rgbPage(2, 2, [1, 1, 1], { description: 'abcdefgh' })]); // stored out of line
    const ifd = buf.readUInt32LE(4);
    const n = buf.readUInt16LE(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (buf.readUInt16LE(e) === 270) buf.writeUInt32LE(0xffffffff, e + 4);
    }
    const gen = tiffTagReader(0);
    let step = gen.next();
    let maxLen = 0;
    while (!step.done) {
      maxLen = Math.max(maxLen, step.value.length);
      step = gen.next(buf.subarray(step.value.offset, step.value.offset + step.value.length));
    }
    expect(maxLen).toBeLessThanOrEqual(MAX_DESCRIPTION_BYTES);
    expect(maxLen).toBe(MAX_DESCRIPTION_BYTES);
    expect(step.value?.imageDescription).toBe('abcdefgh'); // text ends at its NUL
  });
});

describe('readTiffTags fuzzing: never throws, always well-formed', () => {
  const valid = [
    encodeTiff([calibrated]),
    encodeTiff([calibrated, calibrated], { littleEndian: false }),
    encodeTiff([calibrated], { bigTiff: true }),
  ];

  it('survives every truncation of valid files', () => {
    for (const buf of valid) {
      for (let len = 0; len <= Math.min(buf.length, 400); len++) {
        for (const page of [0, 1]) {
          const t = readTiffTags(buf.subarray(0, len), page);
          expectWellFormed(t);
        }
      }
    }
    // Once the whole IFD and its values are present, the values are right.
    expect(readTiffTags(valid[0]!.subarray(0, 300))?.xResolution).toBe(1.5);
  });

  it('survives random byte flips in valid files', () => {
    const rand = rng(42);
    for (let iter = 0; iter < 3000; iter++) {
      const src = valid[iter % valid.length]!;
      const buf = Buffer.from(src.subarray(0, Math.max(8, Math.floor(rand() * src.length) + 1)));
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) buf[Math.floor(rand() * Math.min(buf.length, 300))] = Math.floor(rand() * 256);
      expectWellFormed(readTiffTags(buf, Math.floor(rand() * 3)));
    }
  });

  it('survives random data behind a TIFF header', () => {
    const rand = rng(7);
    const headers = [
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
      [0x49, 0x49, 0x2b, 0x00, 0x08, 0x00, 0x00, 0x00],
      [0x4d, 0x4d, 0x00, 0x2b, 0x00, 0x08, 0x00, 0x00],
    ];
    for (let iter = 0; iter < 3000; iter++) {
      const h = headers[iter % headers.length]!;
      const buf = Buffer.alloc(Math.floor(rand() * 512));
      for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(rand() * 256);
      Buffer.from(h).copy(buf);
      // Point the first IFD somewhere inside the buffer half of the time.
      if (buf.length >= 16 && rand() < 0.5) {
        if (h.length === 4) buf.writeUInt32LE(Math.floor(rand() * buf.length), 4);
        else buf.writeBigUInt64LE(BigInt(Math.floor(rand() * buf.length)), 8);
      }
      expectWellFormed(readTiffTags(buf, Math.floor(rand() * 4)));
    }
  });

  it('survives completely random buffers', () => {
    const rand = rng(1234);
    for (let iter = 0; iter < 2000; iter++) {
      const buf = Buffer.alloc(Math.floor(rand() * 64));
      for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(rand() * 256);
      expect(() => readTiffTags(buf)).not.toThrow();
    }
  });
});
