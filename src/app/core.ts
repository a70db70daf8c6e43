/**
 * createCore: the CoreApi implementation shared by the CLI, the Electron main process and the
 * web host. Validates every input; keeps the workspace (a session, or an open project); runs
 * previews and batches on an AnalysisHost; serves pixel resources; emits events. The methods live
 * in groups (core-library, core-analysis, core-projects) over one shared context.
 */
import { PRESET_NAMES, type BatchId, type BatchSummary, type CoreApi, type Resource } from '../common/api.js';
import { analysisMethods } from './core-analysis.js';
import { createContext, type CoreDeps } from './core-context.js';
import { libraryMethods } from './core-library.js';
import { projectMethods } from './core-projects.js';
import { studyMethods } from './core-study.js';
import { loadPreset } from './recipes.js';
import { STAIN_MODELS } from '../pipeline/stains.js';
import { APP_VERSION } from './version.js';

export type { CoreDeps } from './core-context.js';
export { PREVIEW_FAST_MAX_SIDE_PX } from './core-analysis.js';

export interface CoreHandle extends CoreApi {
  /** Pixel resources for hosts (custom protocol / HTTP); null when the path names nothing. */
  readResource(resourcePath: string): Promise<Resource | null>;
  /** Waits for a batch to finish (hosts that are not event-driven, tests). */
  waitForBatch(id: BatchId): Promise<BatchSummary>;
  /** Cancels batches, saves pending project changes, stops the workers. */
  dispose(): Promise<void>;
}

export function createCore(deps: CoreDeps = {}): CoreHandle {
  const ctx = createContext(deps, deps.appVersion ?? APP_VERSION);
  const analysis = analysisMethods(ctx);
  return {
    async getAppInfo() {
      return {
        version: ctx.appVersion,
        presets: PRESET_NAMES.map((name) => {
          const r = loadPreset(name);
          return { name, recipeId: r.id, title: r.name, document: r };
        }),
        stainModels: Object.values(STAIN_MODELS).map((m) => ({
          id: m.id, name: m.name, label: m.label, mineralName: m.mineralName, counterstainName: m.counterstainName, mineral: m.mineral, counterstain: m.counterstain, third: m.third,
          neutralMineral: m.neutralMineral, minContrast: m.minContrast, sources: m.sources,
        })),
        workers: ctx.host().size,
      };
    },
    ...libraryMethods(ctx),
    ...analysis,
    ...projectMethods(ctx),
    ...studyMethods(ctx, analysis.batchOf),
    on: (topic, cb) => ctx.on(topic, cb),
    readResource: (p) => ctx.resources.read(p),
    async dispose() {
      for (const st of ctx.batches.values()) st.controller.abort();
      await Promise.allSettled([...ctx.batches.values()].map((st) => st.finished));
      await ctx.workspace.close();
      await ctx.disposeHost();
    },
  };
}
