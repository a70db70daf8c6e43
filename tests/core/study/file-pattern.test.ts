import { describe, expect, it } from 'vitest';
import { compileFileNamePattern, parseFileNamePattern, previewPattern } from '../../../src/study/metadata.js';

describe('parseFileNamePattern', () => {
  it('reads {animal}_{group}_{section} with or without extension, from a path', () => {
    const m = parseFileNamePattern('{animal}_{group}_{section}', 'scans/M12_HP_3.ome.tif');
    expect(m).toEqual({ ok: true, fields: { animal: 'M12', group: 'HP', section: '3' }, meta: { animal: 'M12', group: 'HP' }, well: null });
    expect(parseFileNamePattern('{animal}_{group}_{section}', 'M12_HP_3')).toMatchObject({ ok: true });
    expect(parseFileNamePattern('{animal}_{group}_{section}.tif', 'M12_HP_3.TIF')).toMatchObject({ ok: true, fields: { section: '3' } });
  });

  it('matches literal text case-insensitively, maps aliases, {*} skips anything', () => {
    const m = parseFileNamePattern('Day{*} mouse{donor} {condition} ({type})', 'day 14 Mouse7 high phosphate (aorta).png');
    expect(m).toEqual({
      ok: true,
      fields: { donor: '7', condition: 'high phosphate', type: 'aorta' },
      meta: { animal: '7', group: 'high phosphate', sampleType: 'aortic tissue' },
      well: null,
    });
    expect(parseFileNamePattern('{animal}_{*}_{rep}', 'M1_x_y_z_2.jpg')).toMatchObject({ ok: true, meta: { animal: 'M1', replicate: '2' } });
  });

  it('reads a normalised well id and matches a whole relative path when the pattern has /', () => {
    expect(parseFileNamePattern('{group}/{*}_{well}', 'control\\plate1_b03.tif')).toMatchObject({ ok: true, meta: { group: 'control' }, well: 'B3' });
    expect(parseFileNamePattern('{*}_{well}', 'plate1_Z3.tif')).toEqual({ ok: false, reason: '{well} is “Z3”, which is not a well id like A1.' });
  });

  it('does not let a field swallow separators: extra parts are reported', () => {
    expect(parseFileNamePattern('{animal}_{group}', 'M1_HP_extra.tif')).toEqual({
      ok: false,
      reason: '“_extra” is left over after “M1_HP”; add {*} to the pattern to skip it.',
    });
  });
});

describe('previewPattern', () => {
  it('gives per name the fields or the reason', () => {
    const p = previewPattern('{animal}_{group}_{section}', ['M1_c_1.tif', 'M2-c-1.tif', 'M3_c.tif', 'M4__2.tif']);
    expect(p.error).toBeNull();
    expect(p.rows.map((r) => (r.match.ok ? r.match.fields : r.match.reason))).toEqual([
      { animal: 'M1', group: 'c', section: '1' },
      'the name ends after “M2-c-1”, expected “_”.',
      'the name ends after “M3_c”, expected “_”.',
      '{group} is empty after “M4_”.',
    ]);
  });

  it('reports an invalid pattern instead of throwing', () => {
    expect(previewPattern('{animal}{group}', ['a']).error).toContain('{group} follows another field directly');
    expect(previewPattern('{animal', ['a']).error).toContain('“{” has no partner');
    expect(previewPattern('plain', ['a']).error).toContain('it has no field');
    expect(previewPattern('{a}_{A}', ['a']).error).toContain('appears twice');
    expect(previewPattern('{group}_{condition}', ['a']).error).toContain('{condition} appears twice');
    expect(previewPattern('{a.b}', ['a']).error).toContain('is not a field name');
    expect(() => compileFileNamePattern('{x')).toThrow(/INPUT_INVALID/);
  });
});
