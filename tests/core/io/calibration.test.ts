import { describe, expect, it } from 'vitest';
import {
  MEANINGLESS_DPI,
  imageJSpacingUm,
  isImageJDescription,
  isOmeXml,
  pixelSizeFromImageJ,
  pixelSizeFromOmeXml,
  pixelSizeFromTiffResolution,
  resolveCalibration,
  umPerUnit,
} from '../../../src/io/calibration.js';
import { omeXml } from '../helpers/image-fixtures.js';

describe('umPerUnit', () => {
  it.each([
    ['micron', 1],
    ['microns', 1],
    ['µm', 1], // U+00B5 MICRO SIGN
    ['μm', 1], // U+03BC GREEK SMALL LETTER MU
    ['\\u00B5m', 1], // ImageJ's escaped form
    ['&#181;m', 1],
    ['&#xB5;m', 1],
    ['um', 1],
    [' UM ', 1],
    ['nm', 0.001],
    ['mm', 1000],
    ['cm', 10_000],
    ['m', 1_000_000],
    ['Å', 0.0001],
    ['inch', 25_400],
  ])('%s → %f µm', (unit, um) => {
    expect(umPerUnit(unit)).toBeCloseTo(um, 12);
  });

  it('returns null for uncalibrated or unknown units', () => {
    for (const u of ['pixel', 'pixels', '', 'furlong', null, undefined]) expect(umPerUnit(u)).toBeNull();
  });
});

describe('ImageJ description', () => {
  const ij = (lines: string[]): string => ['ImageJ=1.54f', ...lines, ''].join('\n');

  it('recognises ImageJ descriptions', () => {
    expect(isImageJDescription(ij(['unit=micron']))).toBe(true);
    expect(isImageJDescription('Created by ImageJ')).toBe(false);
    expect(isImageJDescription(null)).toBe(false);
  });

  it('computes µm per pixel from unit and pixels per unit', () => {
    expect(pixelSizeFromImageJ(ij(['unit=micron']), 2, 2)).toEqual({ xUm: 0.5, yUm: 0.5 });
    expect(pixelSizeFromImageJ(ij(['unit=\\u00B5m']), 1 / 0.65, 1 / 0.65)!.xUm).toBeCloseTo(0.65, 12);
    expect(pixelSizeFromImageJ(ij(['unit=µm']), 4, null)).toEqual({ xUm: 0.25, yUm: null });
    expect(pixelSizeFromImageJ(ij(['unit=um']), 4, 4)!.xUm).toBe(0.25);
    expect(pixelSizeFromImageJ(ij(['unit=nm']), 0.002, 0.002)!.xUm).toBeCloseTo(0.5, 12); // 500 nm/px
    expect(pixelSizeFromImageJ(ij(['unit=mm']), 1000, 1000)!.xUm).toBeCloseTo(1, 12);
    expect(pixelSizeFromImageJ(ij(['unit=cm']), 10_000, 10_000)!.xUm).toBeCloseTo(1, 12);
  });

  it('handles CRLF lines, yunit and non-square pixels', () => {
    const d = 'ImageJ=1.53t\r\nunit=micron\r\nyunit=nm\r\n';
    expect(pixelSizeFromImageJ(d, 2, 0.001)).toEqual({ xUm: 0.5, yUm: 1 });
  });

  it('returns null when uncalibrated or incomplete', () => {
    expect(pixelSizeFromImageJ(ij(['images=3']), 2, 2)).toBeNull(); // no unit
    expect(pixelSizeFromImageJ(ij(['unit=pixel']), 1, 1)).toBeNull();
    expect(pixelSizeFromImageJ(ij(['unit=micron']), null, null)).toBeNull();
    expect(pixelSizeFromImageJ(ij(['unit=micron']), 0, 0)).toBeNull();
    expect(pixelSizeFromImageJ('unit=micron', 2, 2)).toBeNull(); // not ImageJ
  });

  it('reads spacing as the Z step, not the XY size', () => {
    const d = ij(['unit=micron', 'spacing=2.5']);
    expect(imageJSpacingUm(d)).toBe(2.5);
    expect(imageJSpacingUm(ij(['unit=nm', 'spacing=500']))).toBeCloseTo(0.5, 12);
    expect(imageJSpacingUm(ij(['unit=micron']))).toBeNull();
    expect(pixelSizeFromImageJ(d, 4, 4)!.xUm).toBe(0.25);
  });
});

describe('OME-XML', () => {
  it('reads PhysicalSizeX/Y with units, default µm', () => {
    expect(isOmeXml(omeXml(0.325, 0.325))).toBe(true);
    expect(pixelSizeFromOmeXml(omeXml(0.325, 0.325))).toEqual({ xUm: 0.325, yUm: 0.325 });
    expect(pixelSizeFromOmeXml(omeXml(0.5, 0.5, null))).toEqual({ xUm: 0.5, yUm: 0.5 });
    expect(pixelSizeFromOmeXml(omeXml(325, 325, 'nm'))!.xUm).toBeCloseTo(0.325, 12);
    expect(pixelSizeFromOmeXml(omeXml(0.001, 0.001, 'mm'))!.xUm).toBeCloseTo(1, 12);
    expect(pixelSizeFromOmeXml(omeXml(0.5, 0.5, '&#181;m'))!.xUm).toBe(0.5);
  });

  it('accepts namespace prefixes, single quotes and attributes in any order', () => {
    const xml =
      "<?xml version='1.0'?><ome:OME xmlns:ome='http://www.openmicroscopy.org/Schemas/OME/2016-06'>" +
      "<ome:Image ID='Image:0'><ome:Pixels PhysicalSizeYUnit='nm' PhysicalSizeY='600' ID='Pixels:0' " +
      "PhysicalSizeX='0.5' SizeX='10'/></ome:Image></ome:OME>";
    expect(pixelSizeFromOmeXml(xml)).toEqual({ xUm: 0.5, yUm: 0.6 });
  });

  it('returns null when absent, invalid or in an unknown unit', () => {
    expect(pixelSizeFromOmeXml('<OME><Image><Pixels SizeX="3"/></Image></OME>')).toBeNull();
    expect(pixelSizeFromOmeXml(omeXml(-1, -1))).toBeNull();
    expect(pixelSizeFromOmeXml(omeXml(0, 0))).toBeNull();
    expect(pixelSizeFromOmeXml(omeXml(1, 1, 'pixel'))).toBeNull();
    expect(pixelSizeFromOmeXml('<Pixels PhysicalSizeX="1"/>')).toBeNull(); // no OME root
    expect(pixelSizeFromOmeXml('ImageJ=1.54f\nunit=micron')).toBeNull();
    expect(pixelSizeFromOmeXml(null)).toBeNull();
    expect(pixelSizeFromOmeXml('<OME><Pixels PhysicalSizeX="abc"/></OME>')).toBeNull();
  });
});

describe('TIFF resolution', () => {
  it('converts pixels per centimetre and per inch', () => {
    expect(pixelSizeFromTiffResolution(20_000, 20_000, 3)).toEqual({ xUm: 0.5, yUm: 0.5 });
    expect(pixelSizeFromTiffResolution(50_800, 50_800, 2)).toEqual({ xUm: 0.5, yUm: 0.5 });
    expect(pixelSizeFromTiffResolution(50_800, null, null)).toEqual({ xUm: 0.5, yUm: null }); // default unit: inch
  });

  it('ignores typical screen DPI, libvips’ default and unit "none"', () => {
    for (const dpi of MEANINGLESS_DPI) {
      expect(pixelSizeFromTiffResolution(dpi, dpi, 2)).toBeNull();
      expect(pixelSizeFromTiffResolution(dpi / 2.54, dpi / 2.54, 3)).toBeNull(); // same DPI stored per cm
    }
    expect(MEANINGLESS_DPI).toEqual(expect.arrayContaining([72, 96, 150, 300, 600]));
    expect(pixelSizeFromTiffResolution(71.99, 71.99, 2)).toBeNull();
    expect(pixelSizeFromTiffResolution(25.399999618530273, 25.399999618530273, 2)).toBeNull();
    expect(pixelSizeFromTiffResolution(1, 1, 2)).toBeNull();
    expect(pixelSizeFromTiffResolution(20_000, 20_000, 1)).toBeNull();
    expect(pixelSizeFromTiffResolution(20_000, 20_000, 7)).toBeNull();
    expect(pixelSizeFromTiffResolution(null, null, 3)).toBeNull();
    expect(pixelSizeFromTiffResolution(Number.NaN, 1, 3)).toBeNull();
  });

  it('keeps a real scanner or camera resolution', () => {
    expect(pixelSizeFromTiffResolution(1200, 1200, 2)!.xUm).toBeCloseTo(21.1667, 3);
  });
});

describe('resolveCalibration: precedence user > OME-XML > ImageJ > TIFF resolution', () => {
  const ome = omeXml(0.325, 0.325);
  const ij = 'ImageJ=1.54f\nunit=micron\n';
  const res = { xResolution: 4, yResolution: 4, resolutionUnit: 3 }; // 4 px/cm = 2500 µm

  it('prefers the user value', () => {
    expect(resolveCalibration({ userPixelSizeUm: 1.5, imageDescription: ome, ...res })).toEqual({
      pixelSizeUm: 1.5,
      source: 'user',
      warnings: [],
    });
  });

  it('then OME-XML', () => {
    expect(resolveCalibration({ imageDescription: ome, ...res })).toEqual({
      pixelSizeUm: 0.325,
      source: 'ome-xml',
      warnings: [],
    });
  });

  it('then ImageJ', () => {
    expect(resolveCalibration({ imageDescription: ij, ...res })).toEqual({
      pixelSizeUm: 0.25,
      source: 'imagej',
      warnings: [],
    });
  });

  it('then TIFF resolution', () => {
    expect(resolveCalibration({ imageDescription: 'Olympus cellSens', ...res })).toEqual({
      pixelSizeUm: 2500,
      source: 'tiff-resolution',
      warnings: [],
    });
  });

  it('falls back past sources without a value', () => {
    expect(resolveCalibration({ userPixelSizeUm: 0, imageDescription: omeXml(0, 0), xResolution: 20_000, resolutionUnit: 3 }))
      .toMatchObject({ pixelSizeUm: 0.5, source: 'tiff-resolution' });
    expect(resolveCalibration({ userPixelSizeUm: Number.NaN })).toEqual({ pixelSizeUm: null, source: 'none', warnings: [] });
    expect(resolveCalibration({})).toEqual({ pixelSizeUm: null, source: 'none', warnings: [] });
  });

  it('trusts an uncalibrated ImageJ image over its resolution tags', () => {
    expect(resolveCalibration({ imageDescription: 'ImageJ=1.54f\nimages=1\n', ...res })).toMatchObject({
      pixelSizeUm: null,
      source: 'none',
    });
  });

  it('uses X for non-square pixels and warns', () => {
    const c = resolveCalibration({ imageDescription: ij, xResolution: 2, yResolution: 1 });
    expect(c.pixelSizeUm).toBe(0.5);
    expect(c.source).toBe('imagej');
    expect(c.warnings).toEqual([
      'Pixels are not square (0.5 µm wide × 1 µm high, from the ImageJ calibration); the width 0.5 µm is used as the ' +
        'pixel size, so areas may be off by 100 %. Enter the pixel size yourself if this is wrong.',
    ]);
    // A rounding-level difference is not reported.
    expect(resolveCalibration({ xResolution: 20_000, yResolution: 20_000.01, resolutionUnit: 3 }).warnings).toEqual([]);
  });
});
