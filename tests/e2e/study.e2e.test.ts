/**
 * Plates and the study in a real browser against the real core: a rendered 24-well plate, wells
 * detected and shown in the viewer, groups from a CSV plate map, per-well results, the study tab
 * (table, group chart, heat map, chart export), the study export read back with exceljs, blinded
 * mode, file-name patterns, and wells adjusted by hand.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plateScene, type SceneWell } from '../core/plate/plate-scene.js';
import { HAS_CHROMIUM, screenshot, SKIP_REASON, startApp, type App } from './helpers/harness.js';
import { pickInFileBrowser, resultRows, waitForBatchEnd, waitForFullPreview, waitForLibrary } from './helpers/ui.js';

const GROUP_BY_COLUMN = ['control', 'control', 'high phosphate', 'high phosphate', 'MK-7', 'MK-7'];
/** Extra deposits per well by group: more mineral with high phosphate, less with MK-7 on top. */
const EXTRA_DEPOSITS: Record<string, number> = { control: 0, 'high phosphate': 12, 'MK-7': 5 };

/** A 24-well plate photo whose mineral depends on the group (columns 1–2, 3–4, 5–6). */
async function writePlate(file: string): Promise<SceneWell[]> {
  const { image, wells } = plateScene({ layout: 24, width: 1500, height: 1000, rotationDeg: 1, seed: 5 });
  const data = image.data as Uint8Array;
  const W = image.width;
  // The colour of a deposit the scene drew (reddest pixel of A1).
  const a1 = wells[0]!;
  let deposit = [150, 40, 35];
  let best = -1;
  for (let y = Math.round(a1.cy - a1.r); y < a1.cy + a1.r; y++) {
    for (let x = Math.round(a1.cx - a1.r); x < a1.cx + a1.r; x++) {
      const i = (y * W + x) * 3, redness = data[i]! - data[i + 1]!;
      if (redness > best) (best = redness), (deposit = [data[i]!, data[i + 1]!, data[i + 2]!]);
    }
  }
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const w of wells) {
    const n = EXTRA_DEPOSITS[GROUP_BY_COLUMN[Number(w.id.slice(1)) - 1]!]! + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) {
      const a = 2 * Math.PI * rnd(), d = 0.62 * w.r * Math.sqrt(rnd()), r = w.r * (0.08 + 0.06 * rnd());
      const cx = w.cx + d * Math.cos(a), cy = w.cy + d * Math.sin(a);
      for (let y = Math.floor(cy - r); y <= cy + r; y++) {
        for (let x = Math.floor(cx - r); x <= cx + r; x++) {
          if (Math.hypot(x - cx, y - cy) > r) continue;
          const i = (y * W + x) * 3;
          for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, deposit[c]! + Math.round((rnd() - 0.5) * 10)));
        }
      }
    }
  }
  await sharp(data, { raw: { width: W, height: image.height, channels: 3 } }).png().toFile(file);
  return wells;
}

describe.skipIf(!HAS_CHROMIUM)('plates and the study in Chromium (web host, real core)', () => {
  let app: App;
  let plateDir: string, exportDir: string;

  beforeAll(async () => {
    app = await startApp();
    plateDir = path.join(app.tmp, 'plates');
    exportDir = path.join(app.tmp, 'study-export');
    await Promise.all([mkdir(plateDir), mkdir(exportDir)]);
    await writePlate(path.join(plateDir, 'plate24.png'));
    const rows = ['File,Well,Group,Sample type,Plate'];
    for (const r of 'ABCD') for (let c = 1; c <= 6; c++) rows.push(`,${r}${c},${GROUP_BY_COLUMN[c - 1]},VSMC,P1`);
    rows.push('missing.png,A1,control,VSMC,P2');
    await writeFile(path.join(plateDir, 'plate-map.csv'), rows.join('\n') + '\n');
    await waitForLibrary(app.page, 6);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && app) await screenshot(app.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => app?.close());

  it('opens a plate photo, detects its 24 wells and shows them labelled in the viewer', async () => {
    const { page } = app;
    await page.click('[data-testid=open-images]');
    await pickInFileBrowser(page, plateDir, ['plate24.png']);
    await waitForLibrary(page, 7);
    await page.locator('.lib-item[data-name="plate24.png"]').click();
    await page.click('[data-testid=reference-plate]');
    await page.locator('[data-testid=wells-layer][data-wells="24"]').waitFor({ timeout: 60_000 });
    await waitForFullPreview(page);
    expect(await page.locator('[data-testid=plate-wells-status]').textContent()).toMatch(/24 wells found \(24-well plate\)/);
    const ids = await page.locator('[data-testid=wells-layer] g.well').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-well')));
    expect([...ids].sort()).toEqual([...'ABCD'].flatMap((r) => [1, 2, 3, 4, 5, 6].map((c) => `${r}${c}`)).sort());
    expect(await page.locator('[data-testid=region-rows] li').count()).toBe(24);
    await page.waitForTimeout(600);
    await screenshot(page, 'study-01-plate-wells');
  });

  it('assigns groups from a CSV plate map and reports what it did not use', async () => {
    const { page } = app;
    await page.click('[data-testid=import-sheet]');
    await pickInFileBrowser(page, plateDir, ['plate-map.csv']);
    await page.locator('.sheet-report').waitFor();
    // Well rows of a plate map apply to the selected image (the plate) only, not to the 6 samples.
    expect(Number(/(\d+)/.exec((await page.locator('[data-testid=sheet-applied]').textContent())!)![1])).toBe(24);
    expect(await page.locator('[data-testid=sheet-unused] li').allTextContents()).toEqual([expect.stringMatching(/missing\.png A1/)]);
    expect(await page.locator('.sheet-report').textContent()).toContain('Plate');
    await screenshot(page, 'study-02-sheet-report');
    await page.click('[data-testid=sheet-report-close]');
    const chips = page.locator('.lib-item[data-name="plate24.png"] .group-chips');
    await expect.poll(() => chips.getAttribute('data-groups')).toBe('control|high phosphate|MK-7');
    expect(await page.locator('.lib-item[data-name="kidney.jpg"] .group-chips').count()).toBe(0);
    // Wells picked on the small plate: same group → shown; different groups → mixed.
    const picker = page.locator('[data-testid=well-picker]');
    await picker.locator('[data-well=A1]').click();
    await picker.locator('[data-well=B2]').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('[data-testid=meta-group]').inputValue()).toBe('control');
    await picker.locator('[data-well=A3]').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('[data-testid=meta-group]').getAttribute('data-state')).toBe('mixed');
    expect(await page.locator('[data-testid=meta-group]').getAttribute('placeholder')).toBe('mixed: control, high phosphate');
    // Animal / donor for a whole column at once (click the column number).
    await picker.locator('.wp-col', { hasText: /^1$/ }).click();
    await page.locator('[data-testid=meta-animal]').fill('donor 1');
    await page.locator('[data-testid=meta-animal]').press('Enter');
    await expect.poll(async () => (await app.core.getMetadata()).filter((e) => e.meta.animal === 'donor 1').map((e) => e.well).sort()).toEqual(['A1', 'B1', 'C1', 'D1']);
    await page.locator('[data-testid=wells-layer] g.well.selected').first().waitFor();
    await screenshot(page, 'study-03-metadata-wells');
    await picker.locator('button', { hasText: 'Whole image' }).click();
  });

  it('measures every well: one row per well with its well id', async () => {
    const { page } = app;
    await page.click('[data-testid=run-selected]');
    expect(await waitForBatchEnd(page)).toBe('done');
    const rows = await resultRows(page);
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.cells.well).map((r) => r.cells.well).sort()).toHaveLength(24);
    expect(rows.every((r) => r.cells.status === 'ok')).toBe(true);
  });

  it('shows the study: groups with n, mean, SD, fold change; the group chart and the plate heat map', async () => {
    const { page } = app;
    await page.click('[data-testid=tab-study]');
    await page.locator('[data-testid=study][data-loaded=true]').waitFor();
    await page.uncheck('[data-testid=study-average]');
    await page.selectOption('[data-testid=study-control]', 'control');
    const table = page.locator('[data-testid=study-table-groups]');
    await table.locator('tr.control').waitFor();
    const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(cells.map((c) => c[0]!.replace('control', '').trim() || 'control')).toEqual(['control', 'high phosphate', 'MK-7']);
    expect(cells.map((c) => c[1])).toEqual(['8', '8', '8']);
    const mean = (i: number) => Number(cells[i]![2]);
    expect(mean(1)).toBeGreaterThan(mean(2));
    expect(mean(2)).toBeGreaterThan(mean(0));
    expect(Number(cells[0]![8])).toBeCloseTo(1, 3);
    expect(await page.locator('[data-testid=group-chart] svg [aria-label=dot] circle').count()).toBe(24);
    await page.locator('[data-testid=plate-heatmap] svg[data-chart=heatmap][data-wells="24"]').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'study-04-study');
  });

  it('exports each chart as SVG and PNG', async () => {
    const { page } = app;
    for (const [id, ext] of [['group-chart', 'svg'], ['plate-heatmap', 'png']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${id}-${ext}]`)]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
      const bytes = await readFile((await download.path())!);
      if (ext === 'svg') {
        expect(bytes.toString('utf8')).toMatch(/^<\?xml[^]*<svg[^]*Mineralized area by group/);
      } else {
        expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        const meta = await sharp(bytes).metadata();
        expect(meta.width).toBeGreaterThan(500);
      }
    }
  });

  it('exports the study (CSV per level, XLSX, QC sheet) into a folder; the XLSX opens with numbers', async () => {
    const { page } = app;
    await page.click('[data-testid=study-export-all]');
    await pickInFileBrowser(page, exportDir);
    await page.locator('[data-testid=toast-success]', { hasText: 'Study exported' }).waitFor();
    const files = await readdir(exportDir);
    expect(files).toEqual(expect.arrayContaining(['study.xlsx', 'qc.html', 'study-groups.csv', 'study-wells.csv']));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(exportDir, 'study.xlsx'));
    const names = wb.worksheets.map((w) => w.name.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['groups', 'wells']));
    const groups = wb.worksheets.find((w) => w.name.toLowerCase() === 'groups')!;
    const header = (groups.getRow(1).values as unknown[]).map(String);
    const meanCol = header.findIndex((h) => /mean/i.test(h));
    expect(meanCol).toBeGreaterThan(0);
    expect(typeof groups.getRow(2).getCell(meanCol).value).toBe('number');
    expect(await readFile(path.join(exportDir, 'qc.html'), 'utf8')).toContain('plate24.png');
  });

  it('blinded mode hides names and groups in the library, the viewer and the study', async () => {
    const { page } = app;
    const namesBefore = await page.locator('.lib-item .lib-name').allTextContents();
    await page.click('[data-testid=blind-toggle]');
    await page.locator('[data-testid=study-locked]').waitFor();
    const codes = await page.locator('.lib-item .blind-code').allTextContents();
    expect(codes).toHaveLength(7);
    expect(codes.every((c) => /^[2-9A-HJ-NP-Z]{4}/.test(c))).toBe(true);
    expect(await page.locator('.lib-item .group-chips').count()).toBe(0);
    expect(await page.locator('.viewer-title .name').textContent()).not.toContain('plate24');
    expect(await page.locator('[data-testid=wells-layer] .well-note').count()).toBe(0);
    expect(await app.core.getBlinded()).toBe(true);
    // The results table shows the codes too (in code order), never a name.
    await page.click('[data-testid=tab-results]');
    const table = page.locator('[data-testid=results-table]');
    const shown = await table.locator('td[data-col=image]').allTextContents();
    expect(shown).toHaveLength(25);
    expect(shown.every((c) => codes.includes(c))).toBe(true);
    expect(await table.textContent()).not.toContain('plate24');
    await screenshot(page, 'study-05-blinded');
    await page.click('[data-testid=tab-study]');
    // The random order is stable.
    await page.locator('.lib-item').nth(3).click();
    expect(await page.locator('.lib-item .blind-code').allTextContents()).toEqual(codes);
    await page.click('[data-testid=blind-toggle]');
    await expect.poll(() => page.locator('.lib-item .lib-name').allTextContents()).toEqual(namesBefore);
  });

  it('reads metadata from file names with a pattern and a live preview', async () => {
    const { page } = app;
    await page.click('[data-testid=name-pattern]');
    await page.locator('[data-testid=pattern-input]').fill('{type}');
    await expect.poll(() => page.locator('[data-testid=pattern-summary]').textContent()).toMatch(/^2 of 7 names match/);
    expect(await page.locator('[data-testid=pattern-preview] tr[data-ok=true] td:nth-child(2)').allTextContents()).toEqual(['aortic tissue', 'aortic tissue']);
    await screenshot(page, 'study-06-name-pattern');
    await page.click('[data-testid=pattern-apply]');
    await page.locator('.pattern-dialog').waitFor({ state: 'detached' });
    await expect.poll(async () => (await app.core.getMetadata()).filter((e) => e.meta.sampleType === 'aortic tissue').length).toBe(2);
  });

  it('adjusts a well by hand (detection off) and resets to detection', async () => {
    const { page } = app;
    const plateItem = page.locator('.lib-item[data-name="plate24.png"]');
    await plateItem.click();
    await page.click('[data-testid=tab-results]');
    await page.locator('[data-testid=wells-layer][data-wells="24"]').waitFor();
    const id = (await plateItem.getAttribute('data-image-id'))!;
    await page.click('[data-testid=wells-by-hand]');
    const handle = page.locator('[data-testid=wells-layer] g[data-well=B2] .handle-move');
    await handle.waitFor();
    // as a user would: grab the well once the hand-set wells are stored and the preview has settled
    await expect.poll(() => app.core.getPlateWells(id as never)).not.toBeNull();
    await expect.poll(() => page.locator('[data-testid=plate-wells-status]').textContent()).toMatch(/24 wells set by hand/);
    await waitForFullPreview(page);
    const before = (await app.core.getPlateWells(id as never))!.find((w) => w.id === 'B2')!;
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + box.width / 2 + i * 6, box.y + box.height / 2 + i * 3);
    await page.mouse.up();
    await expect.poll(async () => (await app.core.getPlateWells(id as never))?.find((w) => w.id === 'B2')?.cx ?? 0).toBeGreaterThan(before.cx + 20);
    await waitForFullPreview(page);
    expect(await page.locator('[data-testid=plate-wells-status]').textContent()).toMatch(/24 wells set by hand/);
    await page.waitForTimeout(400);
    await screenshot(page, 'study-07-wells-by-hand');
    await page.click('[data-testid=wells-reset]');
    await expect.poll(() => app.core.getPlateWells(id as never)).toBeNull();
    await expect.poll(() => page.locator('[data-testid=plate-wells-status]').textContent()).toMatch(/24 wells found/);
  });

  it('gives two sections on one slide their own groups (region metadata); the study counts them apart', async () => {
    const { page } = app;
    const item = page.locator('.lib-item[data-name="alizarin/kidney.jpg"]');
    const id = (await item.getAttribute('data-image-id'))!;
    const rect = (x0: number, x1: number) => [[[[x0, 100], [x1, 100], [x1, 650], [x0, 650], [x0, 100]]]];
    await app.core.saveRois(id as never, [
      { id: 'sec-1', role: 'include', tool: 'rectangle', label: 'section 1', geometry: rect(150, 500) },
      { id: 'sec-2', role: 'include', tool: 'rectangle', label: 'section 2', geometry: rect(520, 900) },
    ] as never);
    await item.click();
    await page.click('[data-testid=reference-tissue]');
    const picker = page.locator('[data-testid=region-picker]');
    await picker.locator('[data-region="section 2"]').click();
    await expect.poll(() => page.locator('[data-testid=meta-what]').textContent()).toMatch(/1 region \(“section 2”\)/);
    await page.locator('[data-testid=meta-group]').fill('HP slide 2');
    await page.locator('[data-testid=meta-group]').press('Enter');
    await expect.poll(async () => (await app.core.getMetadata()).find((e) => e.region === 'section 2')?.meta.group).toBe('HP slide 2');
    await picker.locator('[data-region="section 1"]').click();
    await page.locator('[data-testid=meta-group]').fill('control slide 2');
    await page.locator('[data-testid=meta-group]').press('Enter');
    await expect.poll(async () => (await app.core.getMetadata()).find((e) => e.region === 'section 1')?.meta.group).toBe('control slide 2');
    await screenshot(page, 'study-08-region-metadata');
    await page.click('[data-testid=run-selected]');
    expect(await waitForBatchEnd(page)).toBe('done');
    await page.click('[data-testid=tab-study]');
    const table = page.locator('[data-testid=study-table-groups]');
    await table.locator('tbody tr', { hasText: 'HP slide 2' }).waitFor();
    const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const n = (g: string) => cells.find((c) => c[0]!.includes(g))?.[1];
    expect([n('HP slide 2'), n('control slide 2')]).toEqual(['1', '1']);
    await picker.locator('[data-testid=region-picker-image]').click();
    await expect.poll(() => page.locator('[data-testid=meta-what]').textContent()).toMatch(/1 image/);
  });
});

if (!HAS_CHROMIUM) {
  describe('plates and the study in Chromium', () => {
    it.skip(SKIP_REASON, () => {});
  });
}
