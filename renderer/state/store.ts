/** The renderer's one store, built from typed slices (STYLE §9); middleware only here, at the root. */
import { devtools } from 'zustand/middleware';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppClient } from '../api/types.js';
import type { AppState, SliceDeps } from './app-state.js';
import { createBatchSlice } from './batch-slice.js';
import { createLibrarySlice } from './library-slice.js';
import { createMetadataSlice } from './metadata-slice.js';
import { createPlateSlice } from './plate-slice.js';
import { createPreviewSlice } from './preview-slice.js';
import { createProjectSlice } from './project-slice.js';
import { createRecipeSlice } from './recipe-slice.js';
import { createRoiSlice } from './roi-slice.js';
import { createStudySlice } from './study-slice.js';
import { createUiSlice } from './ui-slice.js';

export type AppStore = StoreApi<AppState>;

export function createAppStore(client: AppClient, o: { now?: () => number; devtools?: boolean } = {}): AppStore {
  const deps: SliceDeps = { client, now: o.now ?? (() => Date.now()) };
  return createStore<AppState>()(
    devtools(
      (...a) => ({
        ...createLibrarySlice(deps)(...a),
        ...createUiSlice(deps)(...a),
        ...createRecipeSlice(deps)(...a),
        ...createPreviewSlice(deps)(...a),
        ...createBatchSlice(deps)(...a),
        ...createRoiSlice(deps)(...a),
        ...createProjectSlice(deps)(...a),
        ...createMetadataSlice(deps)(...a),
        ...createPlateSlice(deps)(...a),
        ...createStudySlice(deps)(...a),
      }),
      { name: 'Calciquant', enabled: o.devtools ?? false },
    ),
  );
}
