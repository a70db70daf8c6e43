/**
 * Hand annotation in a real browser against the real core: an include polygon and an exclude brush
 * stroke drawn with the mouse change the percentage to what the core computes from the same shapes
 * (as a region file, in a batch); undo / redo; a reload keeps everything; GeoJSON out and in on
 * another image; copying a region set to other images.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import sharp from 'sharp';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImageId } from '../../src/common/api.js';
import { geometryAreaPx } from '../../src/common/roi-geometry.js';
import type { Roi } from '../../src/common/roi.js';
import { HAS_CHROMIUM, ROOT, screenshot, SKIP_REASON, startApp, type App } from './helpers/harness.js';
import { drag, drawPoints, drawPolygon, openImage, pageView, regionRoles, toPage, waitForNewPct, waitForRegions } from './helpers/annotate-ui.js';
import { pickInFileBrowser, waitForFullPreview, waitForLibrary } from './helpers/ui.js';

const KIDNEY = 'alizarin/kidney.jpg';
const OTHER = 'vonkossa/aorta.jpg';
const BONE = 'vonkossa/bone.jpg';
const ALIZARIN_AORTA = 'alizarin/aorta.jpg';
const POLYGON: [number, number][] = [[300, 200], [700, 180], [780, 450], [520, 620], [260, 480]];
const STROKE: [number, number][] = [[360, 300], [520, 380], [660, 470]];
const BRUSH_PX = 40;

/** What the core measures on `imagePath` with `regionFile` as the region (a batch by path, not the app's preview). */
async function coreMineralPct(app: App, imagePath: string, regionFile: string): Promise<{ pct: number; regions: Map<string, number> }> {
  const id = await app.core.startBatch({ images: [{ path: imagePath, displayName: path.basename(imagePath) }], recipe: { preset: 'alizarin' }, regionPath: regionFile });
  const done = await app.core.waitForBatch(id);
  const r = done.results[0]!;
  expect(r.status, r.error ?? '').toBe('ok');
  return { pct: r.mineralPct!, regions: new Map((done.detailRows?.[0] ?? []).map((d) => [d.region ?? '', d.mineralPct!])) };
}

describe.skipIf(!HAS_CHROMIUM)('annotation in Chromium (web host, real core)', () => {
  let app: App;
  let kidneyId: ImageId;
  let pctPlain: string, pctPolygon: string, pctBoth: string;

  beforeAll(async () => {
    app = await startApp();
    await waitForLibrary(app.page, 6);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && app) await screenshot(app.page, `failed-annotate-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => app?.close());

  it('draws an include polygon: the percentage becomes the core’s for that region', async () => {
    const { page } = app;
    kidneyId = (await openImage(page, KIDNEY)) as ImageId;
    pctPlain = await waitForFullPreview(page);
    const view = await pageView(page);
    await page.keyboard.press('p');
    await page.locator('[data-tool=polygon][aria-pressed=true]').waitFor();
    await drawPolygon(page, view, POLYGON);
    await waitForRegions(page, ['include']);
    pctPolygon = await waitForNewPct(page, pctPlain);
    await expect(page.locator('.pct-of').textContent()).resolves.toBe('of the region');

    const [roi] = await app.core.loadRois(kidneyId);
    expect(roi).toMatchObject({ role: 'include', tool: 'polygon', label: 'Region 1' });
    const ring = roi!.geometry[0]![0]!;
    expect(ring).toHaveLength(POLYGON.length + 1);
    for (const p of POLYGON) expect(Math.min(...ring.map((q) => Math.hypot(q[0] - p[0], q[1] - p[1]))), `vertex ${p}`).toBeLessThan(1 / view.scale + 0.01);
    await screenshot(page, '12-annotate-polygon');
  });

  it('paints an exclude brush stroke: the percentage is the core’s for polygon − stroke', async () => {
    const { page } = app;
    const view = await pageView(page);
    await page.keyboard.press('i');
    await page.keyboard.press('b');
    await page.locator('[data-role=exclude][aria-checked=true]').waitFor();
    await expect(page.locator('[data-testid=brush-size]').inputValue()).resolves.toBe(String(BRUSH_PX));
    await drag(page, view, STROKE);
    await waitForRegions(page, ['include', 'exclude']);
    pctBoth = await waitForNewPct(page, pctPolygon);

    const rois = await app.core.loadRois(kidneyId);
    const stroke = rois.find((r) => r.role === 'exclude')!;
    expect(stroke.tool).toBe('brush');
    // A capsule chain: π r² + 2 r · length, r = half the brush diameter in image pixels.
    const r = BRUSH_PX / 2 / view.scale;
    const length = STROKE.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - STROKE[i]![0], p[1] - STROKE[i]![1]), 0);
    expect(geometryAreaPx(stroke.geometry) / (Math.PI * r * r + 2 * r * length)).toBeCloseTo(1, 1);

    // The same shapes as a QuPath file, measured by the core in a batch: the number the app shows.
    const file = path.join(app.tmp, 'drawn.geojson');
    await app.core.exportRois(kidneyId, file);
    const core = await coreMineralPct(app, path.join(ROOT, 'assets', 'samples', KIDNEY), file);
    expect(`${core.pct.toFixed(2)}%`).toBe(pctBoth);
    await expect(page.locator('[data-testid=region-pct]').first().textContent()).resolves.toBe(`${core.regions.get('Region 1')!.toFixed(2)} %`);
    expect(new Set([pctPlain, pctPolygon, pctBoth]).size).toBe(3);
    await page.mouse.move(...toPageCenter(view));
    await screenshot(page, '13-annotate-brush-exclude');
  });

  it('undo and redo every gesture (keyboard and toolbar)', async () => {
    const { page } = app;
    await page.keyboard.press('Control+z');
    await waitForRegions(page, ['include']);
    await expect(waitForNewPct(page, pctBoth)).resolves.toBe(pctPolygon);
    expect((await app.core.loadRois(kidneyId)).map((r) => r.role)).toEqual(['include']);
    await page.keyboard.press('Control+Shift+z');
    await waitForRegions(page, ['include', 'exclude']);
    await expect(waitForNewPct(page, pctPolygon)).resolves.toBe(pctBoth);
    await page.click('[data-testid=roi-undo]');
    await page.click('[data-testid=roi-undo]');
    await page.locator('[data-testid=region-panel] .regions-empty').waitFor();
    await expect(waitForNewPct(page, pctPolygon)).resolves.toBe(pctPlain);
    await page.click('[data-testid=roi-redo]');
    await page.click('[data-testid=roi-redo]');
    await waitForRegions(page, ['include', 'exclude']);
    await expect(waitForNewPct(page, pctPlain)).resolves.toBe(pctBoth);
  });

  it('a reload finds the regions and the same percentage', async () => {
    const { page } = app;
    await page.reload();
    await waitForLibrary(page, 6);
    await openImage(page, KIDNEY);
    await waitForRegions(page, ['include', 'exclude']);
    await expect(waitForFullPreview(page)).resolves.toBe(pctBoth);
    await page.waitForTimeout(500);
    await screenshot(page, '14-annotate-after-reload');
  });

  it('exports GeoJSON and imports it on another image', async () => {
    const { page } = app;
    await page.click('[data-testid=roi-export]');
    await pickInFileBrowser(page, app.tmp);
    // The export runs after the dialog closes (pending saves first): wait for its confirmation.
    await page.locator('[data-testid=toast-success]', { hasText: 'Regions saved as' }).waitFor();
    const file = path.join(app.tmp, 'kidney.geojson');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { features: { properties: { classification?: { name: string } } }[] };
    expect(doc.features).toHaveLength(2);
    expect(doc.features.map((f) => f.properties.classification?.name ?? null)).toContain('Exclude');

    const otherId = (await openImage(page, OTHER)) as ImageId;
    await page.locator('[data-testid=region-panel] .regions-empty').waitFor();
    await page.click('[data-testid=roi-import]');
    await pickInFileBrowser(page, app.tmp, ['kidney.geojson']);
    await waitForRegions(page, ['include', 'exclude']);
    const mine = await app.core.loadRois(kidneyId), theirs = await app.core.loadRois(otherId);
    expect(theirs.map((r) => r.role)).toEqual(mine.map((r) => r.role));
    theirs.forEach((r: Roi, i) => expect(geometryAreaPx(r.geometry)).toBeCloseTo(geometryAreaPx(mine[i]!.geometry), 3));
    await waitForFullPreview(page);
    await screenshot(page, '15-annotate-imported');
  });

  it('rectangle, ellipse, freehand, move, Escape, and the list’s rename / hide / delete', async () => {
    const { page } = app;
    const boneId = (await openImage(page, BONE)) as ImageId;
    const view = await pageView(page);
    await page.keyboard.press('r');
    await drag(page, view, [[100, 100], [300, 260]]);
    await page.keyboard.press('e');
    await drag(page, view, [[600, 150], [900, 400]]);
    await page.keyboard.press('f');
    await drag(page, view, [[200, 450], [420, 430], [480, 620], [260, 700], [180, 560]], { steps: 6 });
    await waitForRegions(page, ['include', 'include', 'include']);
    // A polygon started and cancelled with Escape leaves nothing.
    await page.keyboard.press('p');
    await drawPoints(page, view, [[700, 500], [850, 520]]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    expect(await regionRoles(page)).toHaveLength(3);
    // Move the rectangle 50 px right with the select tool.
    await page.keyboard.press('v');
    await drag(page, view, [[200, 180], [250, 180]]);
    await page.waitForTimeout(300);
    const rois = await app.core.loadRois(boneId);
    expect(rois.map((r) => r.tool)).toEqual(['rectangle', 'ellipse', 'freehand']);
    const xs = rois[0]!.geometry[0]![0]!.map((q) => q[0]);
    expect(Math.min(...xs)).toBeCloseTo(150, 0);
    expect(geometryAreaPx(rois[1]!.geometry) / (Math.PI * 150 * 125)).toBeCloseTo(1, 2);
    // Rename, hide, delete from the list.
    const label = page.locator('.region-item').nth(1).locator('.ri-label');
    await label.fill('media');
    await label.press('Enter');
    await page.locator('.region-item').nth(2).locator('[aria-label=Hide]').click();
    await page.locator('.region-item').first().locator('[aria-label="Delete region"]').click();
    await waitForRegions(page, ['include', 'include']);
    await expect.poll(async () => (await app.core.loadRois(boneId)).map((r) => `${r.label}${r.hidden ? ' (hidden)' : ''}`)).toEqual(['media', 'Region 3 (hidden)']);
    await page.locator('.region-item').first().click();
    await page.mouse.move(...toPageCenter(view));
    await waitForFullPreview(page);
    await screenshot(page, '16-annotate-tools');
  });

  it('copies the region set to other images (add or replace)', async () => {
    const { page } = app;
    await openImage(page, KIDNEY);
    await page.click('[data-testid=roi-apply]');
    const dialog = page.locator('.modal.apply-regions');
    await dialog.waitFor();
    await dialog.locator(`input[data-name="${ALIZARIN_AORTA}"]`).check();
    await dialog.locator(`input[data-name="${BONE}"]`).check();
    await screenshot(page, '17-annotate-copy-dialog');
    await dialog.locator('[data-testid=apply-replace]').click();
    await dialog.locator('[data-testid=apply-confirm]').click();
    await dialog.waitFor({ state: 'detached' });
    const ids = await page.evaluate((names) => names.map((n) => document.querySelector(`.lib-item[data-name="${n}"]`)!.getAttribute('data-image-id')!), [ALIZARIN_AORTA, BONE]);
    for (const id of ids) expect((await app.core.loadRois(id as ImageId)).map((r) => r.role)).toEqual(['include', 'exclude']);
    await openImage(page, BONE);
    await waitForRegions(page, ['include', 'exclude']);
  });

  it('draws at any zoom: a rectangle drawn zoomed in lands on the same image pixels', async () => {
    const { page } = app;
    const id = (await openImage(page, ALIZARIN_AORTA)) as ImageId;
    const before = await pageView(page);
    const [cx, cy] = toPage(before, [500, 380]);
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 4; i++) {
      await page.mouse.wheel(0, -240);
      await page.waitForTimeout(120);
    }
    const view = await pageView(page);
    expect(view.scale).toBeGreaterThan(before.scale * 1.8);
    const n = (await regionRoles(page)).length;
    await page.keyboard.press('r');
    await drag(page, view, [[470, 350], [530, 400]]);
    await waitForRegions(page, [...(await regionRoles(page)).slice(0, n), 'include']);
    const rect = (await app.core.loadRois(id)).at(-1)!;
    const xs = rect.geometry[0]![0]!.map((q) => q[0]), ys = rect.geometry[0]![0]!.map((q) => q[1]);
    const tol = 1 / view.scale + 0.01;
    expect(Math.abs(Math.min(...xs) - 470)).toBeLessThan(tol);
    expect(Math.abs(Math.max(...xs) - 530)).toBeLessThan(tol);
    expect(Math.abs(Math.min(...ys) - 350)).toBeLessThan(tol);
    expect(Math.abs(Math.max(...ys) - 400)).toBeLessThan(tol);
    await page.keyboard.press('v');
    await page.mouse.move(...toPage(view, [560, 420]));
    await screenshot(page, '22-annotate-zoomed');
    await page.keyboard.press('0');
  });

  it('keeps every tool reachable in a short viewer (small window, tall dock)', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1600, height: 640 });
    try {
      await page.waitForTimeout(300);
      const viewer = (await page.locator('main.viewer').boundingBox())!;
      const legend = (await page.locator('main.viewer .legend').boundingBox())!;
      const buttons = await page.locator('[data-testid=tool-palette] button').all();
      expect(buttons.length).toBeGreaterThanOrEqual(11);
      for (const button of buttons) {
        const r = (await button.boundingBox())!;
        expect(r.y, await button.getAttribute('aria-label') ?? '').toBeGreaterThanOrEqual(viewer.y);
        expect(r.y + r.height, await button.getAttribute('aria-label') ?? '').toBeLessThanOrEqual(legend.y);
      }
      // Usable, not only visible: the lowest tools (role, undo) are not under the legend.
      const palette = page.locator('[data-testid=tool-palette]');
      await palette.locator('[data-role=exclude]').click();
      await palette.locator('[data-role=exclude][aria-checked=true]').waitFor();
      await palette.locator('[data-role=include]').click();
      await screenshot(page, '24-annotate-short-viewer');
    } finally {
      await page.setViewportSize({ width: 1600, height: 1000 });
    }
  });

  it('lists the annotation shortcuts in the help', async () => {
    const { page } = app;
    await page.keyboard.press('?');
    const help = page.locator('.modal.help');
    await help.waitFor();
    await expect(help.locator('.help-group', { hasText: 'Regions' }).textContent()).resolves.toMatch(/Polygon.*Freehand.*Rectangle.*Ellipse.*Brush.*Eraser.*Undo.*Redo/);
    await screenshot(page, '18-annotate-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('projects through the UI: new project keeps the regions, autosaves them to disk, survives a reload, closes and opens again', async () => {
    const { page } = app;
    await page.click('[data-testid=project-menu]');
    await screenshot(page, '19-project-menu');
    await page.click('[data-testid=project-new]');
    await page.locator('.modal.new-project').waitFor();
    await page.fill('[data-testid=project-name-input]', 'E2E study');
    await page.click('[data-testid=project-location]');
    await pickInFileBrowser(page, app.tmp);
    await screenshot(page, '20-new-project');
    await page.click('[data-testid=project-create]');
    await page.locator('[data-testid=project-name]', { hasText: 'E2E study' }).waitFor();
    const dir = path.join(app.tmp, 'E2E study.mineral');
    const kidney = await openImage(page, KIDNEY);
    await waitForRegions(page, ['include', 'exclude']);
    // One more gesture in the project: a rectangle, autosaved into images/<id>/rois.json.
    const view = await pageView(page);
    await page.keyboard.press('r');
    await drag(page, view, [[60, 60], [160, 120]]);
    await waitForRegions(page, ['include', 'exclude', 'include']);
    await page.locator('[data-testid=save-status][data-state=saved]').waitFor();
    const onDisk = async () => JSON.parse(await readFile(path.join(dir, 'images', kidney, 'rois.json'), 'utf8').catch(() => '{"rois":[]}')) as { rois: Roi[] };
    await expect.poll(async () => (await onDisk()).rois.map((r) => r.tool), { timeout: 10_000 }).toEqual(['polygon', 'brush', 'rectangle']);
    await screenshot(page, '21-project-saved');

    await page.reload();
    await waitForLibrary(page, 6);
    await page.locator('[data-testid=project-name]', { hasText: 'E2E study' }).waitFor();
    await openImage(page, KIDNEY);
    await waitForRegions(page, ['include', 'exclude', 'include']);

    await page.click('[data-testid=project-menu]');
    await page.click('[data-testid=project-close]');
    await page.locator('[data-testid=project-name]', { hasText: 'Session' }).waitFor();
    await page.click('[data-testid=project-menu]');
    await page.click('[data-testid=project-open]');
    await pickInFileBrowser(page, dir);
    await page.locator('[data-testid=project-name]', { hasText: 'E2E study' }).waitFor();
    await openImage(page, KIDNEY);
    await waitForRegions(page, ['include', 'exclude', 'include']);
  });

  it('a moved image is shown missing with its message and found again with Relink', async () => {
    const { page } = app;
    const folder = path.join(app.tmp, 'incoming'), moved = path.join(app.tmp, 'moved-here');
    await mkdir(folder);
    // A new image (not a byte copy: the library keeps one entry per content hash).
    await sharp(path.join(ROOT, 'assets', 'samples', 'vonkossa', 'bone.jpg')).flop().jpeg({ quality: 90 }).toFile(path.join(folder, 'extra.jpg'));
    await page.click('[data-testid=open-images]');
    await pickInFileBrowser(page, folder, ['extra.jpg']);
    await waitForLibrary(page, 7);
    const dir = path.join(app.tmp, 'E2E study.mineral');
    await page.click('[data-testid=project-menu]');
    await page.click('[data-testid=project-close]');
    await page.locator('[data-testid=project-name]', { hasText: 'Session' }).waitFor();
    await rename(folder, moved);
    await page.click('[data-testid=project-menu]');
    await page.click('[data-testid=project-open]');
    await pickInFileBrowser(page, dir);
    const relink = page.locator('[data-testid=relink-missing]');
    await expect(relink.textContent()).resolves.toContain('1 missing');
    const item = page.locator('.lib-item', { hasText: 'extra.jpg' });
    await expect(item.locator('.lib-error').textContent()).resolves.toMatch(/not found.*Relink/);
    await screenshot(page, '23-project-missing-image');
    await relink.click();
    await pickInFileBrowser(page, moved);
    await relink.waitFor({ state: 'detached' });
    await expect(item.locator('.lib-error').count()).resolves.toBe(0);
  });
});

const toPageCenter = (v: { x0: number; y0: number; scale: number }): [number, number] => [v.x0 + 512 * v.scale, v.y0 + 700 * v.scale];

if (!HAS_CHROMIUM) {
  describe('annotation in Chromium', () => {
    it.skip(SKIP_REASON, () => {});
  });
}
