/** What every group of CoreApi methods shares: dependencies, events, the host and the workspace. */
import os from 'node:os';
import path from 'node:path';
import type { CoreEvents, ImageId } from '../common/api.js';
import { AppError, toErrorInfo } from '../common/errors.js';
import { parseRecipe, type Recipe } from '../common/recipe-schema.js';
import type { PRESET_NAMES } from '../common/api.js';
import { createWorkerHost, type AnalysisHost } from './analysis-host.js';
import type { BatchState } from './batch.js';
import { loadPreset, parseRecipeText } from './recipes.js';
import { createResourceStore, type ResourceStore } from './resources.js';
import { createSessionWorkspace, type Workspace } from './workspace.js';

export interface CoreDeps {
  /** Defaults to worker threads, created on first use. */
  readonly createHost?: () => AnalysisHost;
  readonly appVersion?: string;
  readonly now?: () => Date;
  /** Derived data of sessions (tile pyramids, overlays): safe to delete. Default: <tmp>/calciquant-cache. */
  readonly cacheDir?: string;
}

export interface CoreContext {
  readonly appVersion: string;
  readonly now: () => Date;
  workspace: Workspace;
  readonly sessionCacheDir: string;
  readonly resources: ResourceStore;
  readonly batches: Map<string, BatchState>;
  host(): AnalysisHost;
  emit<K extends keyof CoreEvents>(topic: K, e: CoreEvents[K]): void;
  on<K extends keyof CoreEvents>(topic: K, cb: (e: CoreEvents[K]) => void): () => void;
  disposeHost(): Promise<void>;
}

export function createContext(deps: CoreDeps, appVersion: string): CoreContext {
  let host: AnalysisHost | null = null;
  const listeners = new Map<keyof CoreEvents, Set<(e: never) => void>>();
  const sessionCacheDir = deps.cacheDir ?? path.join(os.tmpdir(), 'calciquant-cache');
  const ctx: CoreContext = {
    appVersion,
    now: deps.now ?? (() => new Date()),
    workspace: createSessionWorkspace(sessionCacheDir),
    sessionCacheDir,
    resources: null as never,
    batches: new Map(),
    host: () => (host ??= (deps.createHost ?? (() => createWorkerHost()))()),
    emit(topic, e) {
      for (const cb of listeners.get(topic) ?? []) {
        try {
          (cb as (x: typeof e) => void)(e);
        } catch {
          /* a listener's failure never stops the core */
        }
      }
    },
    on(topic, cb) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(cb as (e: never) => void);
      return () => set.delete(cb as (e: never) => void);
    },
    async disposeHost() {
      await host?.destroy();
      host = null;
    },
  };
  (ctx as { resources: ResourceStore }).resources = createResourceStore({
    cacheDir: () => ctx.workspace.cacheDir,
    library: { get: (id: ImageId) => ctx.workspace.get(id) },
  });
  return ctx;
}

export function resolveRecipe(r: { preset: (typeof PRESET_NAMES)[number] } | { document?: unknown; source: string }): Recipe {
  if ('preset' in r) return loadPreset(r.preset);
  return typeof r.document === 'string' ? parseRecipeText(r.document, r.source) : parseRecipe(r.document, r.source);
}

export function checkId(id: unknown): ImageId {
  if (typeof id !== 'string' || !/^[0-9a-f]{16}$/.test(id)) throw new AppError('INPUT_INVALID', 'Invalid image id.');
  return id as ImageId;
}

export function checkPath(p: unknown, what: string): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0')) throw new AppError('INPUT_INVALID', `Invalid ${what}.`);
  return p;
}

export function invalid(what: string, e: { issues: { path: PropertyKey[]; message: string }[] }): AppError {
  const msg = e.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
  return new AppError('INPUT_INVALID', `Invalid ${what}: ${msg}.`);
}

export function parseOrThrow<T>(
  schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  raw: unknown,
  what: string,
): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw invalid(what, r.error);
  return r.data;
}

export { toErrorInfo };
