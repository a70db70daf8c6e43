import { describe, expect, it } from 'vitest';
import { answer, isSelectable, primaryLabel, toggle, visibleEntries } from '../../renderer/features/files/file-browser-model.js';
import { findShortcut } from '../../renderer/features/app/shortcuts.js';
import { formatCell, resultCell } from '../../renderer/state/result-cells.js';
import { dziTilePath, parseDzi } from '../../renderer/viewer/dzi.js';
import { computeScaleBar, formatLengthUm } from '../../renderer/viewer/scale-bar.js';
import { RESULT_COLUMNS } from '../../src/common/result.js';
import { row } from './helpers/fake-client.js';

describe('scale bar', () => {
  it('picks 1-2-5 lengths near the target width and formats µm / mm', () => {
    const b = computeScaleBar(0.5, 1, 120)!; // 60 µm in 120 px → 50 µm
    expect(b.label).toBe('50 µm');
    expect(b.widthPx).toBeCloseTo(100);
    expect(computeScaleBar(2.6, 0.1, 120)!.label).toBe('2 mm');
    expect(computeScaleBar(0, 1)).toBeNull();
    expect(formatLengthUm(0.5)).toBe('500 nm');
  });
});

describe('Deep Zoom', () => {
  it('parses a descriptor and names tiles like sharp writes them', () => {
    const xml = '<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpeg" Overlap="1" TileSize="254"><Size Width="1024" Height="768"/></Image>';
    const info = parseDzi(xml);
    expect(info).toEqual({ widthPx: 1024, heightPx: 768, tileSize: 254, overlap: 1, format: 'jpeg' });
    expect(dziTilePath('/res/dzi/0123456789abcdef.dzi', info, 10, 2, 3)).toBe('/res/dzi/0123456789abcdef_files/10/2_3.jpeg');
    expect(() => parseDzi('<html/>')).toThrow();
  });
});

describe('result cells', () => {
  it('map every CSV column and format numbers for reading', () => {
    const r = row('a.jpg', { mineralPct: 12.345678, referenceAreaPx: 1234567, warnings: ['w1', 'w2'], recipeHash: 'abcdef0123456789' });
    for (const c of RESULT_COLUMNS) expect(resultCell(r, c)).not.toBeUndefined();
    expect(formatCell('mineral_pct', resultCell(r, 'mineral_pct'))).toBe('12.35');
    expect(formatCell('reference_area_px', resultCell(r, 'reference_area_px'))).toBe('1\u2009234\u2009567');
    expect(resultCell(r, 'warnings')).toBe('w1; w2');
    expect(formatCell('recipe_hash', resultCell(r, 'recipe_hash'))).toBe('abcdef0123…');
    expect(formatCell('mineral_pct', null)).toBe('');
  });
});

describe('file browser model', () => {
  const listing = {
    path: '/data', parent: '/',
    entries: [
      { name: 'b.tif', path: '/data/b.tif', kind: 'image' as const, sizeBytes: 10 },
      { name: 'notes.txt', path: '/data/notes.txt', kind: 'other' as const, sizeBytes: 1 },
      { name: 'sub', path: '/data/sub', kind: 'dir' as const, sizeBytes: null },
      { name: 'a10.tif', path: '/data/a10.tif', kind: 'image' as const, sizeBytes: 10 },
      { name: 'a9.tif', path: '/data/a9.tif', kind: 'image' as const, sizeBytes: 10 },
    ],
  };
  it('shows folders first, natural order, only what the request can use', () => {
    expect(visibleEntries(listing, 'files').map((e) => e.name)).toEqual(['sub', 'a9.tif', 'a10.tif', 'b.tif']);
    expect(visibleEntries(listing, 'folder').map((e) => e.name)).toEqual(['sub']);
    expect(visibleEntries(listing, 'openFile')).toHaveLength(5);
    expect(visibleEntries(listing, 'openFile', ['TXT']).map((e) => e.name)).toEqual(['sub', 'notes.txt']);
    expect(isSelectable(listing.entries[2]!, 'files')).toBe(true);
    expect(isSelectable(listing.entries[2]!, 'openFile')).toBe(false);
  });
  it('answers with the selection, the current folder, or a file name to save', () => {
    expect(toggle(['/a'], '/b', true)).toEqual(['/a', '/b']);
    expect(toggle(['/a', '/b'], '/a', true)).toEqual(['/b']);
    expect(toggle(['/a'], '/b', false)).toEqual(['/b']);
    expect(answer('files', '/data', [], '')).toEqual(['/data']);
    expect(answer('files', '/data', ['/data/a9.tif'], '')).toEqual(['/data/a9.tif']);
    expect(answer('openFile', '/data', [], '')).toBeNull();
    expect(answer('saveFile', '/data', [], 'results.csv')).toEqual(['/data/results.csv']);
    expect(answer('saveFile', '/data', [], '../x')).toBeNull();
    expect(primaryLabel('files', 0)).toMatch(/all images in this folder/);
  });
});

describe('shortcuts', () => {
  const key = (k: string, o: { ctrl?: boolean; shift?: boolean } = {}) => ({ key: k, ctrlKey: !!o.ctrl, metaKey: false, shiftKey: !!o.shift, altKey: false });
  it('finds the action of a key press and ignores plain keys while typing', () => {
    expect(findShortcut(key('o', { ctrl: true }), false)?.label).toBe('Open images…');
    expect(findShortcut(key('O', { ctrl: true, shift: true }), false)?.label).toBe('Open a folder…');
    expect(findShortcut(key('Enter', { ctrl: true }), true)?.label).toMatch(/all images/);
    expect(findShortcut(key('o'), false)?.label).toMatch(/overlay/);
    expect(findShortcut(key('o'), true)).toBeNull();
    expect(findShortcut(key('?', { shift: true }), false)?.label).toMatch(/help/);
    expect(findShortcut(key('j'), false)?.label).toBe('Next image');
  });
});
