/**
 * Fuzzing the ImageJ readers: whatever the bytes, the only error is ROI_INVALID, and nothing
 * hangs (the whole file runs in well under 5 s).
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseImageJRoi, parseImageJRoiSet } from '../../../src/io/imagej-roi.js';
import { encodeRoi, ovalRoi, rectRoi, ROI_TYPE, seededRandom } from './imagej-encoder.js';

const circle = (n: number, r: number, c: number): [number, number][] =>
  Array.from({ length: n }, (_, i) => [Math.round(c + r * Math.cos((2 * Math.PI * i) / n)), Math.round(c + r * Math.sin((2 * Math.PI * i) / n))]);

const SAMPLES: Uint8Array[] = [
  rectRoi(3, 4, 30, 20, { name: 'media' }),
  rectRoi(3, 4, 30, 20, { subPixelRect: [3.5, 4.5, 29, 19] }),
  rectRoi(0, 0, 40, 40, { arcSize: 12 }),
  ovalRoi(10, 10, 60, 30),
  ovalRoi(10, 10, 60, 30, { subPixelRect: [10.5, 10.5, 59, 29] }),
  encodeRoi({ type: ROI_TYPE.polygon, points: [[10, 10], [80, 15], [60, 70], [15, 50]], name: 'poly' }),
  encodeRoi({ type: ROI_TYPE.freehand, points: circle(60, 40, 50) }),
  encodeRoi({ type: ROI_TYPE.traced, points: [[2, 1], [5, 1], [5, 4], [8, 4], [8, 5], [2, 5]] }),
  encodeRoi({ type: ROI_TYPE.polygon, subPixelPoints: [[1.5, 1.25], [40.75, 2.5], [30.5, 30.25]] }),
  encodeRoi({ type: ROI_TYPE.rect, shape: [0, 0, 0, 1, 50, 0, 3, 60, 10, 60, 40, 50, 50, 1, 0, 50, 4, 0, 10, 10, 1, 20, 10, 1, 20, 20, 4] }),
];

/** Runs f; records anything thrown that is not ROI_INVALID. */
function probe(f: () => unknown, bad: string[], what: string): void {
  try {
    f();
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const name = (e as { name?: unknown } | null)?.name;
    if (code !== 'ROI_INVALID' || name !== 'AppError' || typeof (e as { userMessage?: unknown }).userMessage !== 'string') {
      bad.push(`${what}: ${String(name)} ${String(code)} ${(e as Error)?.message}`);
    }
  }
}

function flipBits(bytes: Uint8Array, rnd: () => number): Uint8Array {
  const out = bytes.slice();
  const flips = 1 + Math.floor(rnd() * 8);
  for (let k = 0; k < flips; k++) {
    const i = Math.floor(rnd() * out.length);
    out[i] = rnd() < 0.5 ? out[i]! ^ (1 << Math.floor(rnd() * 8)) : Math.floor(rnd() * 256);
  }
  return out;
}

describe('fuzzing parseImageJRoi', () => {
  it('random bytes, truncations and bit flips only ever give ROI_INVALID', () => {
    const rnd = seededRandom(2024);
    const bad: string[] = [];
    for (let k = 0; k < 1500; k++) {
      const bytes = new Uint8Array(Math.floor(rnd() * 400)).map(() => Math.floor(rnd() * 256));
      if (k % 2 && bytes.length >= 8) bytes.set([0x49, 0x6f, 0x75, 0x74, 0, 228, Math.floor(rnd() * 12)]);
      probe(() => parseImageJRoi(bytes, 'random.roi'), bad, `random #${k}`);
    }
    SAMPLES.forEach((sample, s) => {
      for (let len = 0; len < sample.length; len++) probe(() => parseImageJRoi(sample.subarray(0, len), 't.roi'), bad, `sample ${s} cut at ${len}`);
      for (let k = 0; k < 300; k++) probe(() => parseImageJRoi(flipBits(sample, rnd), 'f.roi'), bad, `sample ${s} flip #${k}`);
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('huge declared counts, offsets and lengths are refused without allocating them', () => {
    const bad: string[] = [];
    const patch = (base: Uint8Array, at: number, write: (v: DataView) => void): Uint8Array => {
      const b = base.slice();
      write(new DataView(b.buffer, at));
      return b;
    };
    const poly = SAMPLES[5]!, comp = SAMPLES[9]!;
    const cases: [string, Uint8Array][] = [
      ['n = 65535', patch(poly, 16, (v) => v.setUint16(0, 65535))],
      ['n as int = 2³¹ − 1', patch(patch(poly, 16, (v) => v.setUint16(0, 0)), 18, (v) => v.setInt32(0, 0x7fffffff))],
      ['n as int negative', patch(patch(poly, 16, (v) => v.setUint16(0, 0)), 18, (v) => v.setInt32(0, -5))],
      ['composite count 2³¹ − 1', patch(comp, 36, (v) => v.setInt32(0, 0x7fffffff))],
      ['composite count negative', patch(comp, 36, (v) => v.setInt32(0, -1))],
      ['header-2 offset 2³¹ − 1', patch(poly, 60, (v) => v.setInt32(0, 0x7fffffff))],
      ['name length 2³¹ − 1', patch(poly, poly.length - 64 - 8 + 20, (v) => v.setInt32(0, 0x7fffffff))],
      ['sub-pixel NaN', patch(SAMPLES[8]!, 64 + 12, (v) => v.setFloat32(0, NaN))],
      ['sub-pixel 1e30', patch(SAMPLES[8]!, 64 + 12, (v) => v.setFloat32(0, 1e30))],
      ['rect of 1e30 floats', rectRoi(0, 0, 5, 5, { subPixelRect: [0, 0, 1e30, 1e30] })],
    ];
    for (const [what, bytes] of cases) probe(() => parseImageJRoi(bytes, 'huge.roi'), bad, what);
    expect(bad).toEqual([]);
  });

  it('65 535 random vertices (a hostile tangle) are refused fast; a 65 535-vertex outline is read', () => {
    const rnd = seededRandom(5);
    const tangle = Array.from({ length: 65_535 }, (): [number, number] => [Math.floor(rnd() * 30000), Math.floor(rnd() * 30000)]);
    let t0 = performance.now();
    expect(() => parseImageJRoi(encodeRoi({ type: ROI_TYPE.freehand, points: tangle }), 'tangle.roi')).toThrow(/crosses itself too often/);
    expect(performance.now() - t0).toBeLessThan(2000); // generous bounds: only a hang should fail
    t0 = performance.now();
    const roi = parseImageJRoi(encodeRoi({ type: ROI_TYPE.traced, subPixelPoints: circle(65_535, 15000, 16000) }), 'big.roi');
    expect(roi.geometry).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(4000);
  });
});

function patchZip(zip: Uint8Array, edit: (v: DataView, at: number, sig: 'central' | 'local') => void): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = v.getUint32(i, true);
    if (sig === 0x02014b50) edit(v, i, 'central');
    else if (sig === 0x04034b50) edit(v, i, 'local');
  }
  return out;
}

describe('fuzzing parseImageJRoiSet', () => {
  const valid = zipSync(Object.fromEntries(SAMPLES.map((b, i) => [`${String(i).padStart(4, '0')}.roi`, b])));

  it('the valid set reads; random bytes, truncations and bit flips only give ROI_INVALID', () => {
    expect(parseImageJRoiSet(valid, 'RoiSet.zip')).toHaveLength(SAMPLES.length);
    const rnd = seededRandom(77);
    const bad: string[] = [];
    for (let k = 0; k < 300; k++) {
      const bytes = new Uint8Array(Math.floor(rnd() * 600)).map(() => Math.floor(rnd() * 256));
      probe(() => parseImageJRoiSet(bytes, 'random.zip'), bad, `random #${k}`);
    }
    for (let len = 0; len < valid.length; len += 7) probe(() => parseImageJRoiSet(valid.subarray(0, len), 'cut.zip'), bad, `cut ${len}`);
    for (let k = 0; k < 600; k++) probe(() => parseImageJRoiSet(flipBits(valid, rnd), 'flip.zip'), bad, `flip #${k}`);
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('more than 10 000 entries are refused before anything is unpacked; 10 000 junk entries fail fast', () => {
    const many = (n: number): Uint8Array => zipSync(Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i}.roi`, new Uint8Array([i & 255])])), { level: 0 });
    let t0 = performance.now();
    expect(() => parseImageJRoiSet(many(10_001), 'many.zip')).toThrow(/more than 10,000 entries/);
    expect(() => parseImageJRoiSet(many(10_000), 'junk.zip')).toThrow(/ROI “0\.roi” in “junk\.zip” is too short/);
    expect(performance.now() - t0).toBeLessThan(3000);
    t0 = performance.now();
    const rects = zipSync(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`${i}.roi`, rectRoi(i, i, 5, 5)])), { level: 0 });
    expect(parseImageJRoiSet(rects, 'rects.zip')).toHaveLength(2000);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('huge declared sizes and lying sizes (zip bombs) are refused without inflating', () => {
    const huge = patchZip(valid, (v, at, sig) => sig === 'central' && v.setUint32(at + 24, 0xfffffff0, true));
    expect(() => parseImageJRoiSet(huge, 'huge.zip')).toThrow(/larger than 16 MB/);
    const zeros = zipSync({ 'bomb.roi': new Uint8Array(20 * 1048576) }, { level: 9 });
    expect(zeros.length).toBeLessThan(100_000);
    const t0 = performance.now();
    // declared 100 bytes: the compressed data alone is bigger than any honest 100-byte entry
    const lying = patchZip(zeros, (v, at, sig) => v.setUint32(at + (sig === 'central' ? 24 : 22), 100, true));
    expect(() => parseImageJRoiSet(lying, 'lying.zip')).toThrow(/size does not match its header/);
    // declared 30 000 bytes, more than its ~20 KB of compressed data: inflation stops at 30 000
    const sneaky = patchZip(zeros, (v, at, sig) => v.setUint32(at + (sig === 'central' ? 24 : 22), 30_000, true));
    expect(() => parseImageJRoiSet(sneaky, 'sneaky.zip')).toThrow(/size does not match its header/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
