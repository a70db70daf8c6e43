/** Calciquant core: the public surface used by the CLI, the Electron main process and the web host. */
export { createCore, type CoreDeps, type CoreHandle } from './app/core.js';
export { createInlineHost, createWorkerHost, type AnalysisHost } from './app/analysis-host.js';
export { APP_VERSION } from './app/version.js';
export { loadPreset, loadRecipeFile, recipeHash } from './app/recipes.js';
export * from './common/api.js';
export * from './common/errors.js';
export * from './common/result.js';
export { parseRecipe, canonicalJson, type Recipe } from './common/recipe-schema.js';
export { analyzeImage, type AnalysisInput, type AnalysisOutput } from './pipeline/analyze.js';
export { runAnalysisJob, type AnalysisJob } from './workers/analysis-job.js';
