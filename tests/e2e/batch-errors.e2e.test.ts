/**
 * Long batches and bad files in a real browser against the real core: cancel within a second,
 * export to a folder through the in-app file browser, a corrupt file's error row.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, ROOT, screenshot, SKIP_REASON, startApp, type App } from './helpers/harness.js';
import { parseCsv, pickInFileBrowser, resultRows, waitForBatchEnd, waitForLibrary } from './helpers/ui.js';

const COPIES = 24;

describe.skipIf(!HAS_CHROMIUM)('batches and bad files in Chromium (web host, real core)', () => {
  let app: App;
  let longDir: string, badDir: string, exportDir: string;

  beforeAll(async () => {
    app = await startApp();
    longDir = path.join(app.tmp, 'long-run');
    badDir = path.join(app.tmp, 'bad');
    exportDir = path.join(app.tmp, 'export');
    await Promise.all([mkdir(longDir), mkdir(badDir), mkdir(exportDir)]);
    const sample = path.join(ROOT, 'assets', 'samples', 'alizarin', 'kidney.jpg');
    for (let i = 1; i <= COPIES; i++) await copyFile(sample, path.join(longDir, `kidney-${String(i).padStart(2, '0')}.jpg`));
    // A TIFF header followed by garbage: not decodable.
    await writeFile(path.join(badDir, 'broken.tif'), Buffer.concat([Buffer.from('II*\0\x08\0\0\0', 'binary'), Buffer.alloc(200, 0xab)]));
    await waitForLibrary(app.page, 6);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && app) await screenshot(app.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => app?.close());

  it('opens a folder through the in-app file browser', async () => {
    const { page } = app;
    await page.click('[data-testid=open-folder]');
    await page.locator('.file-browser').waitFor();
    await page.locator('.file-browser [data-testid=fb-path]').fill(app.tmp);
    await page.locator('.file-browser [data-testid=fb-path]').press('Enter');
    await page.locator('.fb-list li[data-name="long-run"]').waitFor();
    await screenshot(page, '08-file-browser');
    await pickInFileBrowser(page, longDir);
    await waitForLibrary(page, 6 + COPIES);
  });

  it('cancels a long batch within a second; unfinished images get cancelled rows', async () => {
    const { page } = app;
    await page.click('[data-testid=run-all]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=batch-progress] [role=progressbar]')?.getAttribute('aria-valuenow')) >= 2, undefined, { timeout: 120_000 });
    await screenshot(page, '09-long-batch-running');
    // Measured in the page: from the click on Cancel to the UI showing the batch as stopped.
    const stopped = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let t0 = 0;
          document.querySelector('[data-testid=cancel-batch]')!.addEventListener('click', () => (t0 = performance.now()), { capture: true });
          new MutationObserver((_, obs) => {
            if (t0 && document.querySelector('[data-testid=batch-progress][data-state=cancelled]')) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          }).observe(document.body, { subtree: true, attributes: true, childList: true });
        }),
    );
    await page.click('[data-testid=cancel-batch]');
    const stoppedMs = await stopped;
    console.info(`Cancel → batch shown as stopped after ${Math.round(stoppedMs)} ms`);
    expect(stoppedMs, `the batch stopped ${stoppedMs} ms after Cancel`).toBeLessThan(1000);
    const rows = await resultRows(page);
    expect(rows).toHaveLength(6 + COPIES);
    const cancelled = rows.filter((r) => r.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.cells.status === 'ok').length).toBeGreaterThanOrEqual(2);
    for (const r of cancelled) expect(r.cells.error_code).toBe('CANCELLED');
    expect(await page.locator('.lib-item [data-status=cancelled]').count()).toBe(cancelled.length);
    await page.click('[data-testid=tab-problems]');
    await page.locator('[data-testid=rerun-failed]').waitFor();
    await screenshot(page, '10-batch-cancelled');
    await page.click('[data-testid=tab-results]');
  });

  it('exports results, results.json and overlays into a folder chosen in the in-app browser', async () => {
    const { page } = app;
    await page.click('[data-testid=export-folder]');
    await pickInFileBrowser(page, exportDir);
    await page.locator('[data-testid=toast-success]', { hasText: 'overlay' }).waitFor({ timeout: 60_000 });
    const files = await readdir(exportDir);
    expect(files).toEqual(expect.arrayContaining(['results.csv', 'results.json']));
    expect(files.filter((f) => f.endsWith('_overlay.png')).length).toBeGreaterThanOrEqual(2);
    const csv = parseCsv(await readFile(path.join(exportDir, 'results.csv'), 'utf8'));
    expect(csv).toHaveLength(6 + COPIES);
    expect(csv.filter((r) => r.error_code === 'CANCELLED').length).toBeGreaterThan(0);
  });

  it('a corrupt file gets an error badge and, when run, an error row naming the file', async () => {
    const { page } = app;
    await page.click('[data-testid=open-images]');
    await pickInFileBrowser(page, badDir, ['broken.tif']);
    const item = page.locator('.lib-item[data-name$="broken.tif"]');
    await item.waitFor();
    await expect(item.locator('[data-status]').getAttribute('data-status')).resolves.toBe('error');
    await item.click();
    await page.locator('.viewer-message.error').waitFor();
    await page.click('[data-testid=run-selected]');
    expect(await waitForBatchEnd(page)).toBe('done');
    const rows = await resultRows(page);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.image).toMatch(/broken\.tif$/);
    expect(rows[0]!.cells.status).toBe('error');
    expect(rows[0]!.cells.error).toContain('broken.tif');
    expect(rows[0]!.cells.error_code).toMatch(/^IMAGE_/);
    await page.click('[data-testid=tab-problems]');
    await page.locator('[data-testid=problems] li', { hasText: 'broken.tif' }).waitFor();
    await screenshot(page, '11-corrupt-file');
  });
});

if (!HAS_CHROMIUM) {
  describe('batches and bad files in Chromium', () => {
    it.skip(SKIP_REASON, () => {});
  });
}
