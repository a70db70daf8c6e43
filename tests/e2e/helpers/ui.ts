/** What a user does in the app, as playwright steps (selectors live here, not in the tests). */
import type { Page } from 'playwright-core';

export async function libraryNames(page: Page): Promise<string[]> {
  return page.locator('.lib-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

export async function waitForLibrary(page: Page, atLeast: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('.lib-item').length >= n, atLeast, { timeout: timeoutMs });
}

/** The percentage shown in the result card once a full-resolution preview is there. */
export async function waitForFullPreview(page: Page, timeoutMs = 60_000): Promise<string> {
  await page.waitForFunction(
    () => {
      const q = document.querySelector('[data-testid=preview-quality]')?.textContent ?? '';
      const pct = document.querySelector('[data-testid=preview-pct]')?.textContent ?? '';
      return q.startsWith('full resolution') && /\d/.test(pct);
    },
    undefined,
    { timeout: timeoutMs },
  );
  return (await page.locator('[data-testid=preview-pct]').textContent()) ?? '';
}

/** In the in-app file browser: go to `dir`, select `names` (none: the folder itself), confirm. */
export async function pickInFileBrowser(page: Page, dir: string, names: readonly string[] = []): Promise<void> {
  const dialog = page.locator('.file-browser');
  await dialog.waitFor();
  // the dialog first lists the last folder; type only once that is shown (as a user would)
  await page.waitForFunction(() => ((document.querySelector('[data-testid=fb-path]') as HTMLInputElement | null)?.value ?? '') !== '');
  await dialog.locator('[data-testid=fb-path]').fill(dir);
  await dialog.locator('[data-testid=fb-path]').press('Enter');
  await page.waitForFunction((d) => (document.querySelector('[data-testid=fb-path]') as HTMLInputElement | null)?.value === d, dir);
  for (const [i, name] of names.entries()) {
    await dialog.locator(`.fb-list li[data-name="${name}"]`).click({ modifiers: i ? ['Control'] : [] });
  }
  await dialog.locator('[data-testid=fb-confirm]').click();
  await dialog.waitFor({ state: 'detached' });
}

export async function waitForBatchEnd(page: Page, timeoutMs = 120_000): Promise<'done' | 'cancelled'> {
  const el = page.locator('[data-testid=batch-progress][data-state=done], [data-testid=batch-progress][data-state=cancelled]');
  await el.waitFor({ timeout: timeoutMs });
  return (await el.getAttribute('data-state')) as 'done' | 'cancelled';
}

export interface TableRow {
  readonly image: string;
  readonly status: string;
  readonly cells: Record<string, string>;
}

/** Rows of the results table with the full values (data-value) of every column. */
export async function resultRows(page: Page): Promise<TableRow[]> {
  return page.locator('[data-testid=results-table] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells: Record<string, string> = {};
      for (const td of tr.querySelectorAll('td')) cells[td.getAttribute('data-col') ?? ''] = td.getAttribute('data-value') ?? '';
      return { image: tr.getAttribute('data-image') ?? '', status: tr.querySelector('td[data-col=status]')?.textContent ?? '', cells };
    }),
  );
}

/** Parses a results.csv (RFC 4180 quoting) into records by column name. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '', row: string[] = [], quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}
