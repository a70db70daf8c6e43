/**
 * The names of the CoreApi methods, events and resource paths, without any schema code, so a
 * preload script can import them and stay small (api.ts re-exports them).
 */
import type { CoreApi, CoreEvents } from './api.js';

export const CORE_METHODS = [
  'getAppInfo',
  'scanInputs',
  'openImages',
  'openSamples',
  'listImages',
  'removeImages',
  'listDirectory',
  'getImageView',
  'probePixel',
  'validateRecipe',
  'previewImage',
  'startBatch',
  'cancelBatch',
  'getBatch',
  'getResultsCsv',
  'exportResults',
  'createProject',
  'openProject',
  'closeProject',
  'getProject',
  'relinkImages',
  'loadRois',
  'saveRois',
  'importRois',
  'exportRois',
  'copyRois',
  'getMetadata',
  'setMetadata',
  'importSampleSheet',
  'previewNamePattern',
  'applyNamePattern',
  'setPlateWells',
  'getPlateWells',
  'setBlinded',
  'getBlinded',
  'getStudy',
  'exportStudy',
] as const satisfies readonly Exclude<keyof CoreApi, 'on'>[];
export type CoreMethod = (typeof CORE_METHODS)[number];

export const CORE_EVENTS = ['batch:progress', 'batch:done', 'library:changed', 'project:changed', 'project:save-error', 'metadata:changed'] as const satisfies readonly (keyof CoreEvents)[];

/** Resource paths a host may pass to CoreHandle.readResource; anything else is refused. */
export const RESOURCE_PATH_PATTERN =
  /^\/res\/(thumb\/[0-9a-f]{16}\.jpg|dzi\/[0-9a-f]{16}\.dzi|dzi\/[0-9a-f]{16}_files\/\d{1,2}\/\d{1,5}_\d{1,5}\.jpeg|overlay\/[0-9a-z-]{1,80}\.png)$/;

