/** ImageResult rows for export tests. */
import type { ImageResult } from '../../../src/common/result.js';

// JSON-only fields, spread in so these rows also type-check against older ImageResult versions
const JSON_ONLY = { notes: ['reference: tissue found by saturation'] };

export function okRow(over: Partial<ImageResult> = {}): ImageResult {
  return {
    ...JSON_ONLY,
    image: 'plate1/well A1.tif',
    status: 'ok',
    error: null,
    errorCode: null,
    widthPx: 4096,
    heightPx: 3072,
    reference: 'tissue',
    referenceAreaPx: 9_876_543,
    mineralAreaPx: 123_457,
    mineralPct: 1.2499876543,
    pixelSizeUm: 0.32500000001,
    pixelSizeSource: 'tiff-resolution',
    referenceAreaUm2: 1_043_209.1234567,
    mineralAreaUm2: 13_040.140625,
    depositCount: 42,
    meanOd: 0.512345678,
    integratedOd: 63_251.987654321,
    thresholdOd: 0.15,
    recipeId: 'ars-default',
    recipeHash: 'ab'.repeat(32),
    appVersion: '0.1.0',
    imageSha256: 'cd'.repeat(32),
    region: null,
    well: null,
    warnings: [],
    ...over,
  };
}

export function errorRow(over: Partial<ImageResult> = {}): ImageResult {
  return {
    ...okRow(),
    image: 'broken.tif',
    status: 'error',
    error: '“broken.tif” could not be opened. Re-save it as TIFF or PNG.',
    errorCode: 'IMAGE_UNREADABLE',
    widthPx: null,
    heightPx: null,
    reference: null,
    referenceAreaPx: null,
    mineralAreaPx: null,
    mineralPct: null,
    pixelSizeUm: null,
    pixelSizeSource: null,
    referenceAreaUm2: null,
    mineralAreaUm2: null,
    depositCount: null,
    meanOd: null,
    integratedOd: null,
    thresholdOd: null,
    imageSha256: null,
    ...over,
  };
}
