import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QcSheetInput } from '../../../src/export/qc-sheet.js';
import { escapeHtml, formatQcSheetHtml, imageDataUri, writeQcSheet } from '../../../src/export/qc-sheet.js';
import { EVIL_NAME, studyRows, studySummary } from './fixtures.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function input(over: Partial<QcSheetInput> = {}): QcSheetInput {
  const rows = studyRows();
  return {
    createdAt: '2025-03-04T05:06:07Z',
    appVersion: '0.1.0',
    recipeId: 'ars-default',
    recipeHash: 'ab'.repeat(32),
    blinded: false,
    rows,
    summary: studySummary(rows),
    thumbnails: new Map([
      ['plate1.tif', { original: JPEG, overlay: PNG }],
      [EVIL_NAME, { original: JPEG, overlay: new TextEncoder().encode('<svg onload=alert(1)>') }],
    ]),
    ...over,
  };
}

describe('QC contact sheet', () => {
  const html = formatQcSheetHtml(input());

  it('escapes every user string: file names, groups, notes', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<h3>&lt;img src=x onerror=alert(1)&gt;.tif</h3>');
    expect(html).toContain('HP &lt;b&gt;');
    expect(html).toContain('Note: &quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('alt="original of &lt;img src=x onerror=alert(1)&gt;.tif"');
    expect(escapeHtml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('is self-contained: no script, no external resource, a CSP that forbids them', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:/i);
    const srcs = [...html.matchAll(/ src="([^"]*)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBe(3);
    expect(srcs.every((s) => /^data:image\/(jpeg|png);base64,[A-Za-z0-9+/=]+$/.test(s))).toBe(true);
    expect(html).toContain(`data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')}`);
    expect(html).toContain('no overlay thumbnail'); // bytes that are not JPEG/PNG are not embedded
    expect(html).toContain('no original thumbnail'); // broken.tif has none
  });

  it('shows a summary table, then images in group order with their numbers and well tables', () => {
    const summaryAt = html.indexOf('<table class="summary">');
    const headings = [...html.matchAll(/<h2>([^<]*) <small>/g)].map((m) => m[1]);
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(html.indexOf('<h2>'));
    // broken.tif (control), the evil name (HP <b>), the plate (wells in control and HP: several groups)
    expect(headings).toEqual(['control', 'HP &lt;b&gt;', '(several groups)']);
    expect(html).toContain('<td>control (control)</td><td>1</td><td>units</td><td>0.60</td>');
    expect(html).toContain('<tr><th>Mineral</th><td>2.50 %</td></tr>');
    expect(html).toContain('<tr><th>Status</th><td>error (IMAGE_UNREADABLE)</td></tr>');
    expect(html).toContain('<article id="img-0" class="card error">');
    expect(html).toContain('<tbody><tr><td>A1</td><td>control</td><td>0.50 %</td><td>ok</td></tr><tr><td>A2</td>');
    expect(html).toContain('<tr><td>B1</td><td>HP</td><td>1.23 %</td><td>ok</td></tr>');
    expect(html).toContain('<tr><th>Reference</th><td>–</td></tr>');
    expect(html).toContain('<tr><th>Blinded analysis</th><td>no</td></tr>');
    expect(formatQcSheetHtml(input({ blinded: true }))).toContain('<tr><th>Blinded analysis</th><td>yes</td></tr>');
  });

  it('sniffs thumbnail types from the bytes', () => {
    expect(imageDataUri(PNG)).toMatch(/^data:image\/png;base64,/);
    expect(imageDataUri(JPEG)).toMatch(/^data:image\/jpeg;base64,/);
    expect(imageDataUri(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toBeNull();
    expect(imageDataUri(null)).toBeNull();
  });

  it('is written atomically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calciquant-qc-'));
    try {
      const p = join(dir, 'qc.html');
      await writeQcSheet(p, input());
      expect(await readFile(p, 'utf8')).toBe(html);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
