/** Annotation steps in the browser: image ↔ page coordinates through the ROI layer, drawing gestures. */
import type { Page } from 'playwright-core';

export interface PageView {
  readonly scale: number;
  /** Page position of the image origin. */
  readonly x0: number;
  readonly y0: number;
}

/** The view transform the ROI layer drew with last (it writes it on its canvas), in page pixels. */
export async function pageView(page: Page): Promise<PageView> {
  const read = () =>
    page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=roi-canvas]');
      const host = document.querySelector('[data-testid=viewer]')!.getBoundingClientRect();
      const v = c?.dataset.view?.split(' ').map(Number);
      return v && v.length === 3 ? { scale: v[0]!, x0: host.left + v[1]!, y0: host.top + v[2]! } : null;
    });
  // Wait until the view has settled (the open animation is over).
  let last = await read();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(150);
    const now = await read();
    if (now && last && Math.abs(now.scale - last.scale) < 1e-9 && now.x0 === last.x0 && now.y0 === last.y0) return now;
    last = now;
  }
  throw new Error('the ROI layer never showed a stable view');
}

export const toPage = (v: PageView, p: readonly [number, number]): [number, number] => [v.x0 + p[0] * v.scale, v.y0 + p[1] * v.scale];

/** Clicks the library item and waits until its image is open and its regions are loaded. */
export async function openImage(page: Page, name: string): Promise<string> {
  const item = page.locator(`.lib-item[data-name="${name}"]`);
  await item.click();
  const id = (await item.getAttribute('data-image-id'))!;
  await page.locator(`[data-testid=viewer][data-open-image="${id}"]`).waitFor();
  await page.locator('[data-testid=roi-canvas][data-view]').waitFor();
  await page.locator('[data-testid=region-panel][data-state=ready]').waitFor();
  return id;
}

export async function regionRoles(page: Page): Promise<string[]> {
  return page.locator('[data-testid=region-list] .region-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-role') ?? ''));
}

export async function waitForRegions(page: Page, roles: readonly string[], timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const got = [...document.querySelectorAll('[data-testid=region-list] .region-item')].map((e) => e.getAttribute('data-role'));
      return got.length === want.length && got.every((r, i) => r === want[i]);
    },
    [...roles],
    { timeout: timeoutMs },
  );
}

/** Waits for a full-resolution preview whose percentage differs from `before`; returns it. */
export async function waitForNewPct(page: Page, before: string, timeoutMs = 60_000): Promise<string> {
  await page.waitForFunction(
    (b) => {
      const q = document.querySelector('[data-testid=preview-quality]')?.textContent ?? '';
      const pct = document.querySelector('[data-testid=preview-pct]')?.textContent ?? '';
      return q.startsWith('full resolution') && /\d/.test(pct) && pct !== b;
    },
    before,
    { timeout: timeoutMs },
  );
  return (await page.locator('[data-testid=preview-pct]').textContent()) ?? '';
}

/** Single clicks at image points. */
export async function drawPoints(page: Page, v: PageView, points: readonly (readonly [number, number])[]): Promise<void> {
  for (const p of points) {
    const [x, y] = toPage(v, p);
    await page.mouse.click(x, y);
    await page.waitForTimeout(60);
  }
}

/** Clicks the points of a polygon (image px) and double-clicks the last one to close it. */
export async function drawPolygon(page: Page, v: PageView, points: readonly (readonly [number, number])[]): Promise<void> {
  for (const p of points.slice(0, -1)) {
    const [x, y] = toPage(v, p);
    await page.mouse.click(x, y);
    await page.waitForTimeout(60);
  }
  const [x, y] = toPage(v, points[points.length - 1]!);
  await page.mouse.dblclick(x, y);
}

/** A pressed drag through the points (image px), in small steps. */
export async function drag(page: Page, v: PageView, points: readonly (readonly [number, number])[], o: { steps?: number } = {}): Promise<void> {
  const [x0, y0] = toPage(v, points[0]!);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const p of points.slice(1)) {
    const [x, y] = toPage(v, p);
    await page.mouse.move(x, y, { steps: o.steps ?? 8 });
  }
  await page.mouse.up();
}
