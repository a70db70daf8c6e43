/**
 * The app in a real browser against the real core: first start with the samples, a batch whose
 * percentages equal the CLI's, live preview of a threshold change, CSV export read back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '../../src/cli.js';
import { RESULT_COLUMNS } from '../../src/common/result.js';
import { HAS_CHROMIUM, ROOT, SKIP_REASON, screenshot, startApp, type App } from './helpers/harness.js';
import { libraryNames, parseCsv, resultRows, waitForBatchEnd, waitForFullPreview, waitForLibrary } from './helpers/ui.js';

const SAMPLES = ['alizarin/aorta.jpg', 'alizarin/kidney.jpg', 'alizarin-wells/well.jpg', 'vonkossa/aorta.jpg', 'vonkossa/bone.jpg', 'vonkossa-wells/well.jpg'];

describe.skipIf(!HAS_CHROMIUM)('Calciquant in Chromium (web host, real core)', () => {
  let app: App;
  let cliRows: Record<string, string>[];
  let cliCsv: string;

  beforeAll(async () => {
    app = await startApp();
    // The CLI on the same images with the same recipe, in-process, for comparison.
    const out = path.join(app.tmp, 'cli-out');
    const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
    const code = await cli(['analyze', path.join(ROOT, 'assets', 'samples'), '--preset', 'alizarin', '--out', out, '--quiet', '--jobs', '1'], quiet, quiet);
    expect(code).toBe(0);
    cliCsv = await readFile(path.join(out, 'results.csv'), 'utf8');
    cliRows = parseCsv(cliCsv);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && app) await screenshot(app.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => app?.close());

  it('opens the bundled sample images at first start and previews the first one', async () => {
    const { page } = app;
    await waitForLibrary(page, SAMPLES.length);
    expect((await libraryNames(page)).sort()).toEqual([...SAMPLES].sort());
    const pct = await waitForFullPreview(page);
    expect(Number.parseFloat(pct)).toBeGreaterThan(0);
    await page.locator('[data-testid=viewer][data-open-image]:not([data-open-image=""])').waitFor();
    await page.waitForTimeout(800); // tiles fade in
    await page.mouse.move(760, 420);
    await page.locator('[data-testid=probe]', { hasText: 'RGB' }).waitFor();
    await screenshot(page, '01-first-start');
  });

  it('runs a batch on all images and shows one result row per image', async () => {
    const { page } = app;
    await page.click('[data-testid=run-all]');
    await page.locator('[data-testid=batch-progress][data-state=running]').waitFor();
    await screenshot(page, '02-batch-running');
    expect(await waitForBatchEnd(page)).toBe('done');
    const rows = await resultRows(page);
    expect(rows.map((r) => r.image).sort()).toEqual([...SAMPLES].sort());
    expect(rows.every((r) => r.cells.status === 'ok')).toBe(true);
    const badges = await page.locator('.lib-item [data-status=done]').count();
    expect(badges).toBe(SAMPLES.length);
    await screenshot(page, '03-batch-done');
  });

  it('shows the same percentages as the CLI for the same images and recipe', async () => {
    const rows = await resultRows(app.page);
    expect(cliRows).toHaveLength(SAMPLES.length);
    for (const c of cliRows) {
      const ui = rows.find((r) => r.image === c.image);
      expect(ui, c.image).toBeDefined();
      expect(Number(ui!.cells.mineral_pct).toFixed(4), c.image).toBe(c.mineral_pct);
      expect(ui!.cells.reference_area_px).toBe(c.reference_area_px);
      expect(ui!.cells.deposit_count).toBe(c.deposit_count);
    }
  });

  it('exports results.csv exactly as the CLI writes it (a browser download)', async () => {
    const { page } = app;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toBe('results.csv');
    const file = path.join(app.tmp, 'downloaded.csv');
    await download.saveAs(file);
    const text = await readFile(file, 'utf8');
    const [head, ...lines] = text.trimEnd().split('\n');
    expect(head).toBe(RESULT_COLUMNS.join(','));
    // Same rows as the CLI (the order follows the library, the CLI's the folder scan).
    const [cliHead, ...cliLines] = cliCsv.trimEnd().split('\n');
    expect(head).toBe(cliHead);
    expect([...lines].sort()).toEqual([...cliLines].sort());
  });

  it('changing the threshold changes the preview mask and the percentage', async () => {
    const { page } = app;
    await page.locator('.lib-item[data-name="alizarin/kidney.jpg"]').click();
    const before = await waitForFullPreview(page);
    const overlayBefore = await page.locator('[data-testid=viewer]').getAttribute('data-overlay');
    await page.waitForTimeout(600);
    const viewBefore = await page.locator('.osd-host').screenshot();
    // Drag the "minimum contrast" slider to the right (fast previews while dragging, full on release).
    const slider = page.locator('[data-testid=threshold-slider]');
    const box = (await slider.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(box.x + box.width * (0.1 + i * 0.04), box.y + box.height / 2);
      await page.waitForTimeout(60);
    }
    await page.mouse.up();
    await page.waitForFunction((b) => {
      const q = document.querySelector('[data-testid=preview-quality]')?.textContent ?? '';
      return q.startsWith('full resolution') && document.querySelector('[data-testid=preview-pct]')?.textContent !== b;
    }, before, { timeout: 60_000 });
    const after = (await page.locator('[data-testid=preview-pct]').textContent())!;
    expect(Number.parseFloat(after)).toBeLessThan(Number.parseFloat(before));
    const overlayAfter = await page.locator('[data-testid=viewer]').getAttribute('data-overlay');
    expect(overlayAfter).toBeTruthy();
    expect(overlayAfter).not.toBe(overlayBefore);
    await page.waitForTimeout(800);
    const viewAfter = await page.locator('.osd-host').screenshot();
    expect(Buffer.compare(viewBefore, viewAfter)).not.toBe(0);
    await expect(page.locator('.recipe-source .tag').textContent()).resolves.toBe('modified');
    await screenshot(page, '04-threshold-changed');
  });

  it('keyboard: next image (J), overlay toggle (O), help (?)', async () => {
    const { page } = app;
    await page.locator('.lib-list').focus();
    const current = () => page.locator('.lib-item.current').getAttribute('data-name');
    const first = await current();
    await page.keyboard.press('j');
    await expect.poll(current).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(current).toBe(first);
    await page.keyboard.press('o');
    await expect(page.locator('[data-testid=overlay-toggle]').getAttribute('aria-pressed')).resolves.toBe('false');
    await page.keyboard.press('o');
    await page.keyboard.press('?');
    await page.locator('.modal.help').waitFor();
    await screenshot(page, '05-help');
    await page.keyboard.press('Escape');
    await page.locator('.modal.help').waitFor({ state: 'detached' });
  });

  it('saves the recipe as a file and loads recipe files back (invalid ones are named by step and parameter)', async () => {
    const { page } = app;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Save…")')]);
    const saved = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; steps: { op: string; params: Record<string, unknown> }[] };
    expect(saved.format).toBe('calciquant-recipe');
    const mine = { ...saved, id: 'lab-fixed', name: 'Lab recipe (fixed OD)', steps: saved.steps.map((st) => (st.op === 'threshold' ? { op: 'threshold', params: { method: 'fixed', valueOd: 0.4 } } : st)) };
    const good = path.join(app.tmp, 'lab.json');
    await writeFile(good, JSON.stringify(mine));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('button:has-text("Load…")')]);
    await chooser.setFiles(good);
    await page.locator('.recipe-source', { hasText: 'Lab recipe (fixed OD)' }).waitFor();
    await expect(page.locator('[data-testid=threshold-method]').inputValue()).resolves.toBe('fixed');
    const bad = path.join(app.tmp, 'bad-recipe.json');
    await writeFile(bad, JSON.stringify({ ...mine, steps: [...mine.steps, { op: 'morph.open', params: { radiusPx: 99 } }] }));
    const [chooser2] = await Promise.all([page.waitForEvent('filechooser'), page.click('button:has-text("Load…")')]);
    await chooser2.setFiles(bad);
    const toast = page.locator('[data-testid=toast-error]', { hasText: 'bad-recipe.json' });
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/morph\.open.*radiusPx|radiusPx.*morph\.open/);
    await screenshot(page, '07-recipe-error');
    await toast.locator('button').click();
    await page.click('[data-testid=preset-alizarin]');
  });

  it('shows a scale bar once the pixel size is known', async () => {
    const { page } = app;
    await page.locator('.section-toggle', { hasText: 'Calibration' }).click();
    await page.locator('#pixel-size').fill('2.6');
    await page.locator('[data-testid=scale-bar]').waitFor();
    const label = await page.locator('.scale-label').textContent();
    expect(label).toMatch(/^\d+ (µm|mm)$/);
    await waitForFullPreview(page);
    await page.locator('.osd-host').click({ position: { x: 400, y: 300 } });
    await page.keyboard.press('+');
    await page.waitForTimeout(700);
    expect(await page.locator('.scale-label').textContent()).toMatch(/^\d+ (µm|mm)$/);
    await screenshot(page, '06-calibrated-zoomed');
  });
});

if (!HAS_CHROMIUM) {
  describe('Calciquant in Chromium', () => {
    it.skip(SKIP_REASON, () => {});
  });
}
