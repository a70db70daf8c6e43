import { describe, expect, it } from 'vitest';
import {
  applyMetadata,
  assignMeta,
  fileMatches,
  metaKey,
  normalizeSampleType,
  normalizeWellId,
  parseSampleSheet,
  sheetRowsFor,
} from '../../../src/study/metadata.js';

function errorOf(fn: () => unknown): { code: string; userMessage: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; userMessage: string };
  }
  throw new Error('expected an error');
}

describe('parseSampleSheet', () => {
  it('reads a plate map with header aliases, case and spaces ignored', () => {
    const csv = 'Well ID, Treatment ,Mouse_ID,Rep,Cell type,Comments,Dose (mM)\nA1,control,M1,1,vsmc,"ok, fine",0\na02,HP,M2,2,Aorta,,3\n';
    const sheet = parseSampleSheet(csv, 'plate.csv');
    expect(sheet.ignoredColumns).toEqual(['Dose (mM)']);
    expect(sheet.rows).toEqual([
      { line: 2, file: null, well: 'A1', region: null, meta: { group: 'control', animal: 'M1', replicate: '1', sampleType: 'VSMC', notes: 'ok, fine' } },
      { line: 3, file: null, well: 'A2', region: null, meta: { group: 'HP', animal: 'M2', replicate: '2', sampleType: 'aortic tissue' } },
    ]);
  });

  it('reads semicolon-separated sheets (European Excel) with commas inside cells', () => {
    const csv = '\uFEFFFile name;Group;Notes\r\nM1_a.tif;control;1,5 mm\r\n"M2;b.tif";HP;"said ""hi"""\r\n';
    const sheet = parseSampleSheet(csv, 's.csv');
    expect(sheet.rows.map((r) => [r.file, r.meta.group, r.meta.notes])).toEqual([
      ['M1_a.tif', 'control', '1,5 mm'],
      ['M2;b.tif', 'HP', 'said "hi"'],
    ]);
  });

  it('reads tab-separated text pasted from a spreadsheet', () => {
    const sheet = parseSampleSheet('Well\tCondition\nB3\tMK-7\n', 'paste');
    expect(sheet.rows[0]).toMatchObject({ well: 'B3', meta: { group: 'MK-7' } });
  });

  it('skips blank lines and counts file lines across multi-line cells', () => {
    const csv = '\nWell,Group,Notes\n\nA1,c,"two\nlines"\nA2,,\nA3,x,y,z\n';
    const e = errorOf(() => parseSampleSheet(csv, 'm.csv'));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.userMessage).toContain('Sample sheet “m.csv”, line 7:');
    expect(e.userMessage).toContain('4 cells but the header only 3');
  });

  it('names line and column of a bad well id or sample type', () => {
    const badWell = errorOf(() => parseSampleSheet('Group,Well\nc,A1\nc,Z9\n', 'p.csv'));
    expect(badWell.userMessage).toBe(
      'Sample sheet “p.csv”, line 3, column “Well” (B): “Z9” is not a well id. Use a row letter and a column number, like A1 or H12.',
    );
    const badType = errorOf(() => parseSampleSheet('Well,Sample type\nA1,neuron\n', 'p.csv'));
    expect(badType.userMessage).toContain('line 2, column “Sample type” (B): “neuron” is not a known sample type');
  });

  it('rejects a sheet without key column, duplicate keys, two columns for one field, rows without key', () => {
    expect(errorOf(() => parseSampleSheet('Group,Animal\nc,M1\n', 'a.csv')).userMessage).toContain('line 1: no column says which well, region or file');
    expect(errorOf(() => parseSampleSheet('Well,Group\nA1,c\nA01,d\n', 'a.csv')).userMessage).toContain(
      'line 3: well A1 is already given on line 2',
    );
    expect(errorOf(() => parseSampleSheet('Well,Group,Condition\n', 'a.csv')).userMessage).toContain(
      'column “Condition” (C): it means the same as column “Group”',
    );
    expect(errorOf(() => parseSampleSheet('Well,Group\n,c\n', 'a.csv')).userMessage).toContain('line 2: the row has no “Well”');
    expect(errorOf(() => parseSampleSheet('', 'a.csv')).userMessage).toContain('the file is empty');
  });
});

describe('normalisers', () => {
  it('reads region names (a drawn region’s label) as a key; a row names a well or a region, not both', () => {
    const sheet = parseSampleSheet('File,ROI,Animal\nslide1.tif,section 1,M1\nslide1.tif,section 2,M2\n,media,M3\n', 'r.csv');
    expect(sheet.rows.map((r) => [r.file, r.region, r.well, r.meta.animal])).toEqual([
      ['slide1.tif', 'section 1', null, 'M1'], ['slide1.tif', 'section 2', null, 'M2'], [null, 'media', null, 'M3'],
    ]);
    expect(sheetRowsFor(sheet, 'slide1.tif', null, 'section 2').map((r) => r.meta.animal)).toEqual(['M2']);
    expect(sheetRowsFor(sheet, 'slide1.tif', null, null)).toEqual([]);
    expect(() => parseSampleSheet('Well,Region,Group\nA1,media,x\n', 'b.csv')).toThrow(/line 2: the row names a well and a region/);
  });

  it('well ids and sample types', () => {
    expect(['A1', 'a01', 'H 12', 'P24', 'Q1', 'A25', 'A0', '1A'].map(normalizeWellId)).toEqual(['A1', 'A1', 'H12', 'P24', null, null, null, null]);
    expect(['VSMC', 'ipsc osteoblasts', 'Aortic tissue', 'other', 'liver'].map(normalizeSampleType)).toEqual([
      'VSMC',
      'iPSC-osteoblast',
      'aortic tissue',
      'other tissue',
      null,
    ]);
  });

  it('file names match exactly, as a trailing path, by name or by name without extension', () => {
    expect(fileMatches('M1_a.tif', 'study/M1_a.tif')).toBe(true);
    expect(fileMatches('M1_a', 'study\\M1_a.tif')).toBe(true);
    expect(fileMatches('study/M1_a.tif', 'C:\\data\\study\\M1_a.tif')).toBe(true);
    expect(fileMatches('M1_a.png', 'study/M1_a.tif')).toBe(false);
    expect(fileMatches('M1', 'study/M1_a.tif')).toBe(false);
    expect(fileMatches('x.ome', 'x.ome.tif')).toBe(false);
    expect(fileMatches('x', 'x.ome.tif')).toBe(true);
  });
});

describe('applyMetadata', () => {
  const sheet = parseSampleSheet(
    ['File,Well,Group,Sample type,Notes', 'plate1.tif,,,VSMC,plate 1', ',A1,control,,', 'plate1.tif,A1,,,edge bubble', 'typo.tif,,x,,', 'M7_HPX,,HP,,'].join('\n'),
    's.csv',
  );

  it('merges pattern < file row < well row < file+well row < by hand, field by field', () => {
    const manual = new Map([[metaKey({ image: 'plate1.tif', well: 'A2' }), { group: 'by hand' }]]);
    const applied = applyMetadata(
      [
        { image: 'plate1.tif', well: 'A1' },
        { image: 'plate1.tif', well: 'A2' },
        { image: 'plate2.tif', well: 'A1' },
        { image: 'in/M7_HPX.tif' },
        { image: 'bad name.tif' },
      ],
      { sheet, pattern: '{animal}_{group}', manual },
    );
    expect(applied.meta).toEqual([
      { sampleType: 'VSMC', notes: 'edge bubble', group: 'control' },
      { sampleType: 'VSMC', notes: 'plate 1', group: 'by hand' },
      { group: 'control' },
      { animal: 'M7', group: 'HP' },
      {},
    ]);
    expect(applied.unusedSheetRows.map((r) => r.line)).toEqual([5]);
    expect(applied.unmatchedNames.map((u) => u.image)).toEqual(['plate1.tif', 'plate2.tif', 'bad name.tif']);
  });

  it('uses a {well} from the file name to find the plate-map row', () => {
    const applied = applyMetadata([{ image: 'P1_a01.tif' }], { sheet, pattern: '{*}_{well}' });
    expect(applied.wells).toEqual(['A1']);
    expect(applied.meta[0]).toEqual({ group: 'control' });
  });
});

describe('assignMeta', () => {
  it('sets, clears and keeps fields for many keys at once without touching the input', () => {
    const before = new Map([['a.tif', { group: 'old', animal: 'M1' }]]);
    const after = assignMeta(before, ['a.tif', 'b.tif'], { group: ' HP ', animal: null, sampleType: 'aorta' });
    expect(after).not.toBeNull();
    expect(Object.fromEntries(after!)).toEqual({
      'a.tif': { group: 'HP', sampleType: 'aortic tissue' },
      'b.tif': { group: 'HP', sampleType: 'aortic tissue' },
    });
    expect(before.get('a.tif')).toEqual({ group: 'old', animal: 'M1' });
    expect(assignMeta(before, ['a.tif'], { sampleType: 'brain' })).toBeNull();
  });
});
