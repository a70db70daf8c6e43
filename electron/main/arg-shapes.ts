/**
 * The shape of each CoreApi method's argument list, checked in main before a call reaches the core
 * (which then zod-validates the contents). Keyed by CORE_METHODS: TypeScript refuses a missing or
 * extra method, so this never drifts from the API.
 */
import type { CoreMethod } from '../../src/common/api.js';

export type ArgShape = 'string' | 'number' | 'strings' | 'object' | 'any';

export const ARG_SHAPES = {
  getAppInfo: [],
  scanInputs: ['strings'],
  openImages: ['strings'],
  openSamples: [],
  listImages: [],
  removeImages: ['strings'],
  listDirectory: ['string'],
  getImageView: ['string'],
  probePixel: ['string', 'number', 'number'],
  validateRecipe: ['any', 'string'],
  previewImage: ['object'],
  startBatch: ['object'],
  cancelBatch: ['string'],
  getBatch: ['string'],
  getResultsCsv: ['string'],
  exportResults: ['object'],
  createProject: ['string', 'string'],
  openProject: ['string'],
  closeProject: [],
  getProject: [],
  relinkImages: ['string'],
  loadRois: ['string'],
  saveRois: ['string', 'any'],
  importRois: ['string', 'string'],
  exportRois: ['string', 'string'],
  copyRois: ['string', 'strings', 'string'],
  getMetadata: [],
  setMetadata: ['any', 'object'],
  importSampleSheet: ['string', 'any'],
  previewNamePattern: ['string'],
  applyNamePattern: ['string'],
  setPlateWells: ['string', 'any'],
  getPlateWells: ['string'],
  setBlinded: ['any'],
  getBlinded: [],
  getStudy: ['string', 'object'],
  exportStudy: ['object'],
} as const satisfies { readonly [M in CoreMethod]: readonly ArgShape[] };

const MAX_STRING = 1_000_000;
const MAX_LIST = 100_000;

function fits(shape: ArgShape, x: unknown): boolean {
  switch (shape) {
    case 'string':
      return typeof x === 'string' && x.length <= MAX_STRING;
    case 'number':
      return typeof x === 'number' && Number.isFinite(x);
    case 'strings':
      return Array.isArray(x) && x.length <= MAX_LIST && x.every((s) => typeof s === 'string' && s.length <= 4096);
    case 'object':
      return typeof x === 'object' && x !== null && !Array.isArray(x);
    case 'any':
      return x !== undefined;
  }
}

/** Why `args` does not fit method `m`, or null when it does. */
export function checkArgs(m: CoreMethod, args: unknown): string | null {
  const shapes: readonly ArgShape[] = ARG_SHAPES[m];
  if (!Array.isArray(args)) return 'the arguments are not a list';
  if (args.length !== shapes.length) return `expected ${shapes.length} argument(s), got ${args.length}`;
  const bad = shapes.findIndex((s, i) => !fits(s, args[i]));
  return bad < 0 ? null : `argument ${bad + 1} should be ${shapes[bad] === 'strings' ? 'a list of strings' : `a ${shapes[bad]}`}`;
}
