/** The whole renderer state: one zustand store made of typed slices (STYLE §9). */
import type { StateCreator } from 'zustand';
import type { AppClient } from '../api/types.js';
import type { BatchSlice } from './batch-slice.js';
import type { LibrarySlice } from './library-slice.js';
import type { MetadataSlice } from './metadata-slice.js';
import type { PlateSlice } from './plate-slice.js';
import type { PreviewSlice } from './preview-slice.js';
import type { ProjectSlice } from './project-slice.js';
import type { RecipeSlice } from './recipe-slice.js';
import type { RoiSlice } from './roi-slice.js';
import type { StudySlice } from './study-slice.js';
import type { UiSlice } from './ui-slice.js';

export type AppState = LibrarySlice & UiSlice & RecipeSlice & PreviewSlice & BatchSlice & RoiSlice & ProjectSlice
  & MetadataSlice & PlateSlice & StudySlice;

/** What every slice may use besides the store itself. */
export interface SliceDeps {
  readonly client: AppClient;
  /** Milliseconds clock (tests inject one). */
  readonly now: () => number;
}

export type SliceCreator<T> = (deps: SliceDeps) => StateCreator<AppState, [['zustand/devtools', never]], [], T>;
