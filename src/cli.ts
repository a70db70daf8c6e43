/**
 * The `calciquant` command line. `main(argv)` returns the exit code:
 * 0 every image succeeded, 2 some images failed (their rows say why), 1 usage error, 130 interrupted.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PRESET_NAMES, type BatchRequest, type PresetName } from './common/api.js';
import { REFERENCE_KINDS } from './common/recipe-schema.js';
import type { ReferenceKind } from './common/result.js';
import { toAppError } from './common/errors.js';
import { createCore } from './app/core.js';
import { createInlineHost, createWorkerHost } from './app/analysis-host.js';
import { createProgressReporter } from './cli-progress.js';
import { gcMode } from './app/gc-flags.js';
import { APP_VERSION } from './app/version.js';
import { loadRecipeFile } from './app/recipes.js';

export const USAGE = `Calciquant ${APP_VERSION} — mineralized area (%) in Alizarin Red S and von Kossa images

Usage:
  calciquant analyze <files-or-folders…> (--preset alizarin|vonkossa | --recipe FILE) [options]
  calciquant analyze --project DIR (--preset … | --recipe FILE) [options]
  calciquant presets            list the bundled recipes
  calciquant --version | --help

Options:
  --preset NAME         alizarin (Alizarin Red S) or vonkossa (von Kossa)
  --recipe FILE         a recipe JSON file (start from assets/recipes/*.json)
  --reference KIND      what the percentage is a percentage of: image | tissue | well | plate | region
                        (default: the recipe's; region needs --roi)
  --plate LAYOUT        whole-plate photo: find the wells (auto | 6 | 12 | 24 | 48 | 96); one row per
                        well (column well = A1…) after the image's row
  --project DIR         analyse the images of a Calciquant project with their regions (as the app
                        does); results are also saved into the project
  --roi FILE            a GeoJSON file (QuPath export: include/exclude polygons) or a mask image
                        (non-zero = inside) at the image's size, applied to every image
  --pixel-size-um N     pixel size in µm (overrides the file's calibration)
  --page N              page of multi-page TIFFs (0 = first, the default)
  --jobs N              worker threads (default: one per core, at most 4; 0 = no workers)
  --out DIR             output folder for results.csv / results.json (default: calciquant-out)
  --samples FILE        a sample sheet / plate map CSV (file name and/or well → group, animal, …)
  --name-pattern P      read metadata from file names, e.g. "{animal}_{group}_{section}"
  --control GROUP       group for fold changes;  --average-replicates: average sections/wells per
                        animal (or image) before the group statistics
  --xlsx                also write study.xlsx (images, wells, regions, units, groups, provenance)
  --qc                  also write qc.html, a contact sheet of every image beside its overlay
  --overlays            also write <image>_overlay.png (reference outline sky blue, mineral yellow)
                        and the binary masks <image>_reference.png, <image>_mineral.png
  --quiet               no progress output

Results: one row per image in DIR/results.csv and DIR/results.json; mineral_pct =
100 × mineral_area_px / reference_area_px, both counted in full-resolution pixels.
Exit code: 0 all images analysed, 2 some failed (see their rows), 1 usage error.`;

interface CliOptions {
  readonly inputs: string[];
  readonly project?: string;
  readonly recipe: BatchRequest['recipe'] | { file: string };
  readonly referenceKind?: ReferenceKind;
  readonly roi?: string;
  readonly plateLayout?: 'auto' | 6 | 12 | 24 | 48 | 96;
  readonly pixelSizeUm?: number;
  readonly page?: number;
  readonly jobs?: number;
  readonly out: string;
  readonly overlays: boolean;
  readonly quiet: boolean;
  readonly samples?: string;
  readonly namePattern?: string;
  readonly controlGroup?: string;
  readonly averageReplicates: boolean;
  readonly xlsx: boolean;
  readonly qc: boolean;
}

class UsageError extends Error {}

function positiveNumber(v: string | undefined, flag: string, o: { integer?: boolean; min?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const min = o.min ?? Number.MIN_VALUE;
  if (!Number.isFinite(n) || n < min || (o.integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} needs ${o.integer ? 'a whole number' : 'a number'} ≥ ${o.min ?? '> 0'}, not “${v}”.`);
  }
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      preset: { type: 'string' }, recipe: { type: 'string' }, reference: { type: 'string' }, roi: { type: 'string' }, project: { type: 'string' }, plate: { type: 'string' },
      'pixel-size-um': { type: 'string' }, page: { type: 'string' }, jobs: { type: 'string' }, out: { type: 'string' },
      overlays: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false },
      samples: { type: 'string' }, 'name-pattern': { type: 'string' }, control: { type: 'string' },
      'average-replicates': { type: 'boolean', default: false }, xlsx: { type: 'boolean', default: false }, qc: { type: 'boolean', default: false },
    },
  });
  const inputs = positionals;
  if (values.project && inputs.length) throw new UsageError('With --project, give no image paths: the project says which images to analyse.');
  if (!values.project && inputs.length === 0) throw new UsageError('Give at least one image file or folder (or --project DIR).');
  if (values.preset && values.recipe) throw new UsageError('Use either --preset or --recipe, not both.');
  if (!values.preset && !values.recipe) throw new UsageError('Say which stain: --preset alizarin, --preset vonkossa, or --recipe FILE.');
  if (values.preset && !(PRESET_NAMES as readonly string[]).includes(values.preset)) {
    throw new UsageError(`Unknown preset “${values.preset}”. Use ${PRESET_NAMES.join(' or ')}.`);
  }
  if (values.reference && !(REFERENCE_KINDS as readonly string[]).includes(values.reference)) {
    throw new UsageError(`Unknown reference “${values.reference}”. Use ${REFERENCE_KINDS.join(', ')}.`);
  }
  if (values.reference === 'region' && !values.roi) throw new UsageError('--reference region needs --roi FILE.');
  const plateLayout = values.plate === undefined ? undefined : values.plate === 'auto' ? 'auto' : Number(values.plate);
  if (plateLayout !== undefined && plateLayout !== 'auto' && ![6, 12, 24, 48, 96].includes(plateLayout)) {
    throw new UsageError(`--plate needs auto, 6, 12, 24, 48 or 96, not “${values.plate}”.`);
  }
  if (plateLayout !== undefined && values.reference && values.reference !== 'plate') throw new UsageError('--plate measures wells: do not combine it with --reference ' + values.reference + '.');
  return {
    inputs,
    ...(values.project ? { project: values.project } : {}),
    recipe: values.preset ? { preset: values.preset as PresetName } : { file: values.recipe! },
    ...(values.reference ? { referenceKind: values.reference as ReferenceKind } : {}),
    ...(plateLayout !== undefined ? { referenceKind: 'plate' as const, plateLayout: plateLayout as 'auto' | 6 | 12 | 24 | 48 | 96 } : {}),
    ...(values.roi ? { roi: values.roi } : {}),
    ...(values['pixel-size-um'] ? { pixelSizeUm: positiveNumber(values['pixel-size-um'], '--pixel-size-um')! } : {}),
    ...(values.page ? { page: positiveNumber(values.page, '--page', { integer: true, min: 0 })! } : {}),
    ...(values.jobs ? { jobs: positiveNumber(values.jobs, '--jobs', { integer: true, min: 0 })! } : {}),
    out: values.out ?? 'calciquant-out',
    overlays: values.overlays ?? false,
    quiet: values.quiet ?? false,
    ...(values.samples ? { samples: values.samples } : {}),
    ...(values['name-pattern'] ? { namePattern: values['name-pattern'] } : {}),
    ...(values.control ? { controlGroup: values.control } : {}),
    averageReplicates: values['average-replicates'] ?? false,
    xlsx: values.xlsx ?? false,
    qc: values.qc ?? false,
  };
}

/** The images to analyse: a project's (by id, with their regions) or the given files and folders. */
async function selectImages(
  core: ReturnType<typeof createCore>,
  o: CliOptions,
  say: (s: string) => void,
): Promise<{ count: number; request: Pick<BatchRequest, 'images' | 'imageIds'> } | null> {
  if (o.project) {
    const p = await core.openProject(o.project);
    for (const w of p.warnings) say(`note: ${w}`);
    if (p.missingCount) say(`note: ${p.missingCount} image(s) of the project are missing (relink them in the app); their rows will say so.`);
    const ids = (await core.listImages()).map((e) => e.id);
    if (ids.length === 0) {
      say(`The project “${p.name}” has no images yet.`);
      return null;
    }
    return { count: ids.length, request: { imageIds: ids } };
  }
  const { images, skipped } = await core.openImages(o.inputs);
  for (const s of skipped) say(`note: skipped ${s.path}: ${s.reason}`);
  if (images.length === 0) {
    say('No images found in the given files/folders (JPEG, PNG or TIFF).');
    return null;
  }
  return { count: images.length, request: { imageIds: images.map((i) => i.id) } };
}

/** Sample sheet and file-name pattern → the library's metadata (used by the study export). */
async function applyStudyMetadata(core: ReturnType<typeof createCore>, o: CliOptions, say: (s: string) => void): Promise<void> {
  if (o.namePattern) {
    const r = await core.applyNamePattern(o.namePattern);
    if (r.unmatched) say(`note: ${r.unmatched} file name(s) do not match the pattern “${o.namePattern}”; they have no metadata from it.`);
  }
  if (o.samples) {
    const r = await core.importSampleSheet(o.samples);
    for (const u of r.unusedRows) say(`note: sample sheet line ${u.line} (${u.what || 'no key'}) matches no image.`);
  }
}

async function analyze(o: CliOptions, stderr: NodeJS.WriteStream): Promise<number> {
  const core = createCore({ createHost: () => (o.jobs === 0 ? createInlineHost() : createWorkerHost(o.jobs)) });
  const say = (s: string) => stderr.write(s + '\n');
  let interrupted = false;
  let batchId: string | null = null;
  const onSigint = () => {
    interrupted = true;
    say('\nInterrupted: finishing the rows done so far…');
    if (batchId) void core.cancelBatch(batchId as never);
  };
  process.once('SIGINT', onSigint);
  try {
    const selection = await selectImages(core, o, say);
    if (!selection) return 1;
    await applyStudyMetadata(core, o, say);
    const outDir = path.resolve(o.out);
    const recipe: BatchRequest['recipe'] =
      'file' in o.recipe ? { document: await loadRecipeFile(o.recipe.file), source: path.basename(o.recipe.file) } : o.recipe;
    const reporter = createProgressReporter(stderr, selection.count, o.quiet);
    core.on('batch:progress', (p) => reporter.update(p));
    batchId = await core.startBatch({
      ...selection.request,
      recipe, ...(o.referenceKind ? { referenceKind: o.referenceKind } : {}), ...(o.roi ? { regionPath: o.roi } : {}),
      ...(o.plateLayout !== undefined ? { plateLayout: o.plateLayout } : {}),
      ...(o.pixelSizeUm ? { pixelSizeUm: o.pixelSizeUm } : {}), ...(o.page !== undefined ? { page: o.page } : {}),
      ...(o.overlays ? { overlayDir: outDir } : {}),
      viewerOverlays: o.qc,
    });
    const summary = await core.waitForBatch(batchId as never);
    reporter.finish();
    const files = await core.exportResults({ batchId, outDir });
    const failed = summary.results.filter((r) => r.status === 'error');
    const ok = summary.results.length - failed.length;
    for (const f of failed) say(`error: ${f.error}`);
    const pcts = summary.results.filter((r) => r.mineralPct !== null).map((r) => r.mineralPct!);
    const mean = pcts.length ? pcts.reduce((a, b) => a + b, 0) / pcts.length : null;
    say(`${summary.results.length} image(s): ${ok} analysed, ${failed.length} failed${mean === null ? '' : `; mean mineral ${mean.toFixed(2)} %`}.`);
    say(`Wrote ${files.csvPath} and ${files.jsonPath}${o.overlays ? ' (+ overlays)' : ''}.`);
    if (o.samples || o.namePattern || o.xlsx || o.qc) {
      const study = await core.exportStudy({
        batchId, outDir, csv: true, xlsx: o.xlsx, qc: o.qc,
        options: { averageReplicates: o.averageReplicates, ...(o.controlGroup ? { controlGroup: o.controlGroup } : {}) },
      });
      say(`Wrote ${[...study.csvPaths, study.xlsxPath, study.qcPath].filter(Boolean).map((p) => path.basename(p!)).join(', ')}.`);
    }
    if (interrupted) return 130;
    return failed.length ? 2 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await core.dispose();
  }
}

export async function main(argv: readonly string[], stderr: NodeJS.WriteStream = process.stderr, stdout: NodeJS.WriteStream = process.stdout): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    stdout.write(USAGE + '\n');
    return cmd ? 0 : 1;
  }
  if (cmd === '--version' || cmd === '-v') {
    stdout.write(`${APP_VERSION}\nnode ${process.version}, garbage collection ${gcMode()}\n`);
    return 0;
  }
  try {
    if (cmd === 'presets') {
      const info = await createCore({ createHost: createInlineHost }).getAppInfo();
      for (const p of info.presets) stdout.write(`${p.name.padEnd(10)} ${p.recipeId.padEnd(20)} ${p.title}\n`);
      return 0;
    }
    if (cmd !== 'analyze') throw new UsageError(`Unknown command “${cmd}”.`);
    return await analyze(parseCliArgs(rest), stderr);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      stderr.write(`calciquant: ${(e as Error).message}\nRun “calciquant --help” for usage.\n`);
      return 1;
    }
    const err = toAppError(e);
    stderr.write(`calciquant: ${err.userMessage}\n`);
    return 1;
  }
}
