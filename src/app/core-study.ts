/** CoreApi methods of sample metadata and the study: sheets, name patterns, blinding, statistics, export. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  imageIdsSchema, metaPatchSchema, metaTargetsSchema, plateWellsSchema, studyExportSchema, studyOptionsSchema,
  type BatchId, type CoreApi, type ImageId, type MetadataEntry, type StudyView,
} from '../common/api.js';
import { AppError } from '../common/errors.js';
import type { SampleMeta } from '../common/sample-meta.js';
import { assignMeta, compileFileNamePattern, parseFileNamePattern, parseSampleSheet, previewPattern, sheetRowsFor, mergeMeta } from '../study/metadata.js';
import type { StudyOptions } from '../study/stats.js';
import { checkId, checkPath, parseOrThrow, type CoreContext } from './core-context.js';
import type { BatchState } from './batch.js';
import { qcThumbnails } from './qc-thumbnails.js';
import { buildStudy, writeStudyFiles, type Study } from './study.js';
import { metaKeyOf, parseMetaKey } from './workspace.js';

type StudyMethods = Pick<
  CoreApi,
  'getMetadata' | 'setMetadata' | 'importSampleSheet' | 'previewNamePattern' | 'applyNamePattern' | 'setPlateWells' | 'getPlateWells' | 'setBlinded' | 'getBlinded' | 'getStudy' | 'exportStudy'
>;

const MAX_SHEET_BYTES = 20 * 1024 * 1024;

function entriesOf(map: ReadonlyMap<string, SampleMeta>): MetadataEntry[] {
  return [...map].map(([k, meta]) => ({ ...parseMetaKey(k), meta }));
}

function toOptions(o: { averageReplicates: boolean; unitBy?: StudyOptions['unitBy'] | undefined; controlGroup?: string | null | undefined; groupOrder?: string[] | undefined }): StudyOptions {
  return {
    averageReplicates: o.averageReplicates,
    ...(o.unitBy ? { unitBy: o.unitBy } : {}),
    ...(o.controlGroup !== undefined ? { controlGroup: o.controlGroup } : {}),
    ...(o.groupOrder ? { groupOrder: o.groupOrder } : {}),
  };
}

/** The study of a batch with the workspace's current metadata (by library id; CLI batches have none). */
export function studyOfBatch(ctx: CoreContext, st: BatchState, options: StudyOptions): Study {
  const meta = ctx.workspace.metadata();
  return buildStudy(st.summary, (i, _r, part) => {
    const id = st.items[i]?.imageId;
    return mergeMeta(id ? meta.get(metaKeyOf({ imageId: id, ...part })) : undefined);
  }, options);
}

function view(study: Study, st: BatchState): StudyView {
  const s = study.summary;
  const plates = st.summary.results.flatMap((r, i) => {
    const wells = (st.summary.detailRows?.[i] ?? []).filter((d) => d.well);
    if (!wells.length) return [];
    const groupOf = (w: string) => s.observations.find((o) => o.observation.image === r.image && o.observation.well === w)?.group ?? null;
    return [{ imageId: st.items[i]?.imageId ?? null, image: r.image, wells: wells.map((d) => ({ well: d.well!, mineralPct: d.mineralPct, group: groupOf(d.well!) })) }];
  });
  return {
    groups: s.groups.map((g) => ({ group: g.group, isControl: g.isControl, nUnits: g.nUnits, nObservations: g.nObservations, basis: g.basis, stats: g.stats, foldChange: g.foldChange, foldChangeSd: g.foldChangeSd })),
    units: s.units.map((u) => ({ group: u.group, unit: u.unit, unitKind: u.unitKind, stats: u.stats, foldChange: u.foldChange })),
    observations: s.observations.map((o) => ({
      image: o.observation.image, well: o.observation.well ?? null, region: o.observation.region ?? null,
      group: o.group, unit: o.unit, mineralPct: o.observation.mineralPct, foldChange: o.foldChange,
    })),
    plates,
    warnings: s.warnings,
  };
}

export function studyMethods(ctx: CoreContext, batchOf: (id: unknown) => BatchState): StudyMethods {
  let blinded = false;
  const announce = () => ctx.emit('metadata:changed', { entries: entriesOf(ctx.workspace.metadata()), blinded });
  return {
    async getMetadata() {
      return entriesOf(ctx.workspace.metadata());
    },
    async setMetadata(rawTargets, rawPatch) {
      const targets = parseOrThrow(metaTargetsSchema, rawTargets, 'metadata targets');
      const patch = parseOrThrow(metaPatchSchema, rawPatch, 'metadata');
      const keys = targets.map(metaKeyOf);
      const current = ctx.workspace.metadata();
      const next = assignMeta(current, keys, patch);
      if (!next) throw new AppError('INPUT_INVALID', 'Unknown sample type. Use VSMC, iPSC-osteoblast, aortic tissue or other tissue.');
      await ctx.workspace.setMetadata(new Map(keys.map((k) => [k, next.get(k) ?? {}])));
      announce();
    },
    async importSampleSheet(filePath, rawWellRowsFor) {
      const name = path.basename(checkPath(filePath, 'sample sheet'));
      const wellRowsFor = rawWellRowsFor === undefined || rawWellRowsFor === null ? null : new Set(parseOrThrow(imageIdsSchema, rawWellRowsFor, 'plate images'));
      let text: string;
      try {
        const buf = await readFile(filePath);
        if (buf.length > MAX_SHEET_BYTES) throw new AppError('INPUT_INVALID', `Sample sheet “${name}” is larger than 20 MB.`);
        text = buf.toString('utf8');
      } catch (e) {
        if ((e as { code?: string }).code === 'INPUT_INVALID') throw e;
        throw new AppError('INPUT_INVALID', `Sample sheet “${name}” cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`, { cause: e });
      }
      const sheet = parseSampleSheet(text, name);
      const used = new Set<object>();
      const updates = new Map<string, SampleMeta>(ctx.workspace.metadata());
      const touched = new Set<string>();
      const wellIds = [...new Set(sheet.rows.map((r) => r.well).filter((w): w is string => !!w))];
      const regionNames = new Set(sheet.rows.map((r) => r.region).filter((w): w is string => !!w));
      for (const e of ctx.workspace.list()) {
        // regions named in the sheet that this image has (include regions, by label or id)
        const regions = regionNames.size && !e.error
          ? (await ctx.workspace.loadRois(e.id)).filter((r) => r.role === 'include').map((r) => r.label ?? r.id).filter((n) => regionNames.has(n))
          : [];
        const parts = [{ well: null, region: null }, ...wellIds.map((well) => ({ well, region: null })), ...regions.map((region) => ({ well: null, region }))];
        for (const { well, region } of parts) {
          const rows = sheetRowsFor(sheet, e.displayName, well, region)
            .filter((r) => r.well === well && r.region === region)
            .filter((r) => r.file !== null || !wellRowsFor || wellRowsFor.has(e.id));
          if (!rows.length) continue;
          rows.forEach((r) => used.add(r));
          const key = metaKeyOf({ imageId: e.id, well, region });
          updates.set(key, mergeMeta(updates.get(key), ...rows.map((r) => r.meta)));
          touched.add(key);
        }
      }
      await ctx.workspace.setMetadata(new Map([...touched].map((k) => [k, updates.get(k)!])));
      announce();
      const unusedRows = sheet.rows.filter((r) => !used.has(r)).map((r) => ({ line: r.line, what: [r.file, r.well, r.region && `region “${r.region}”`].filter(Boolean).join(' ') }));
      return { applied: touched.size, unusedRows, ignoredColumns: sheet.ignoredColumns };
    },
    async previewNamePattern(pattern) {
      if (typeof pattern !== 'string' || pattern.length > 500) throw new AppError('INPUT_INVALID', 'Invalid pattern.');
      const images = ctx.workspace.list();
      const p = previewPattern(pattern, images.map((e) => e.displayName));
      return {
        error: p.error,
        rows: p.rows.map((r, i) => ({
          imageId: images[i]!.id, displayName: r.name, ok: r.match.ok,
          meta: r.match.ok ? r.match.meta : null, well: r.match.ok ? r.match.well : null, reason: r.match.ok ? null : r.match.reason,
        })),
      };
    },
    async applyNamePattern(pattern) {
      if (typeof pattern !== 'string' || pattern.length > 500) throw new AppError('INPUT_INVALID', 'Invalid pattern.');
      const compiled = compileFileNamePattern(pattern);
      const current = ctx.workspace.metadata();
      const updates = new Map<string, SampleMeta>();
      let unmatched = 0;
      for (const e of ctx.workspace.list()) {
        const m = parseFileNamePattern(compiled, e.displayName);
        if (!m.ok) {
          unmatched++;
          continue;
        }
        updates.set(e.id, mergeMeta(current.get(e.id), m.meta));
      }
      await ctx.workspace.setMetadata(updates);
      announce();
      return { applied: updates.size, unmatched };
    },
    async setPlateWells(id, raw) {
      const wells = parseOrThrow(plateWellsSchema, raw, 'wells');
      const ids = wells?.map((w) => w.id) ?? [];
      if (new Set(ids).size !== ids.length) throw new AppError('INPUT_INVALID', 'Each well id (A1…) may appear once.');
      await ctx.workspace.setPlateWells(checkId(id), wells);
    },
    async getPlateWells(id) {
      return ctx.workspace.plateWells(checkId(id));
    },
    async setBlinded(on) {
      if (typeof on !== 'boolean') throw new AppError('INPUT_INVALID', 'Blinded mode is on or off.');
      blinded = on;
      announce();
    },
    async getBlinded() {
      return blinded;
    },
    async getStudy(batchId, rawOptions) {
      const st = batchOf(batchId);
      await st.finished;
      return view(studyOfBatch(ctx, st, toOptions(parseOrThrow(studyOptionsSchema, rawOptions, 'study options'))), st);
    },
    async exportStudy(raw) {
      const req = parseOrThrow(studyExportSchema, raw, 'study export');
      const st = batchOf(req.batchId as BatchId);
      const summary = await st.finished;
      const study = studyOfBatch(ctx, st, toOptions(req.options));
      return writeStudyFiles({
        outDir: req.outDir, study, what: req,
        base: { appVersion: ctx.appVersion, createdAt: ctx.now().toISOString(), recipeId: st.recipe.id, recipeHash: summary.recipeHash, recipe: st.recipe, blinded },
        thumbnails: async () => {
          const out = new Map<string, Awaited<ReturnType<typeof qcThumbnails>>>();
          for (const [i, r] of summary.results.entries()) {
            const overlay = summary.overlayPaths[i] ? await ctx.resources.read(summary.overlayPaths[i]!) : null;
            out.set(r.image, await qcThumbnails(st.items[i]!.job.filePath, overlay?.data ?? null));
          }
          return out;
        },
      });
    },
  };
}

export type { ImageId };
