import { describe, expect, it } from 'vitest';
import { RESULT_COLUMNS } from '../../../src/common/result.js';
import {
  COLUMN_SPEC,
  JSON_ONLY_FIELDS,
  formatFixed,
  formatResultsCsv,
  formatSignificant,
  parseCsv,
  resultsToJson,
} from '../../../src/export/csv.js';
import { errorRow, okRow } from './sample-rows.js';

const HEADER = RESULT_COLUMNS.join(',');

/** Parsed CSV as objects keyed by column name. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((c, i) => [c, r[i]!])));
}

describe('formatResultsCsv', () => {
  it('writes the header even with zero rows', () => {
    expect(formatResultsCsv([])).toBe(HEADER + '\n');
  });

  it('writes one LF-terminated line per row, no BOM, no CR', () => {
    const text = formatResultsCsv([okRow(), errorRow()]);
    expect(text.startsWith('image,')).toBe(true);
    expect(text.includes('\r')).toBe(false);
    expect(text.split('\n')).toHaveLength(4); // header, 2 rows, '' after the final \n
    expect(text.endsWith('\n')).toBe(true);
  });

  it('maps every column to a distinct ImageResult key', () => {
    const keys = RESULT_COLUMNS.map((c) => COLUMN_SPEC[c].key);
    expect(new Set(keys).size).toBe(RESULT_COLUMNS.length);
    const csvKeys = Object.keys(okRow()).filter((k) => !(JSON_ONLY_FIELDS as readonly string[]).includes(k));
    expect(new Set(keys)).toEqual(new Set(csvKeys));
  });

  it('quotes commas, quotes, newlines and keeps non-ASCII', () => {
    const nasty = 'Probe Ä µ, "1".tif';
    const text = formatResultsCsv([
      okRow({ image: nasty, warnings: ['line one\nline two', 'CR\r here', 'semi; colon'] }),
    ]);
    expect(text).toContain('"Probe Ä µ, ""1"".tif"');
    const [rec] = csvRecords(text);
    expect(rec!.image).toBe(nasty);
    expect(rec!.warnings).toBe('line one\nline two; CR\r here; semi; colon');
  });

  it('round-trips through parseCsv', () => {
    const rows = [okRow({ image: 'a,b "c"\r\nd.tif' }), errorRow(), okRow({ image: 'ÖÜß 日本.png' })];
    const parsed = parseCsv(formatResultsCsv(rows));
    expect(parsed[0]).toEqual([...RESULT_COLUMNS]);
    expect(parsed).toHaveLength(4);
    for (const rec of parsed) expect(rec).toHaveLength(RESULT_COLUMNS.length);
    const recs = csvRecords(formatResultsCsv(rows));
    expect(recs.map((r) => r.image)).toEqual(rows.map((r) => r.image));
    expect(recs[1]!.error).toBe(errorRow().error);
    expect(recs[1]!.error_code).toBe('IMAGE_UNREADABLE');
  });

  it('writes null as an empty field', () => {
    const [rec] = csvRecords(formatResultsCsv([errorRow()]));
    expect(rec!.mineral_pct).toBe('');
    expect(rec!.width_px).toBe('');
    expect(rec!.warnings).toBe('');
  });

  it('rounds per column', () => {
    const [rec] = csvRecords(formatResultsCsv([okRow()]));
    expect(rec).toMatchObject({
      width_px: '4096',
      reference_area_px: '9876543',
      mineral_pct: '1.2500',
      pixel_size_um: '0.325',
      reference_area_um2: '1043209.12',
      mineral_area_um2: '13040.14',
      deposit_count: '42',
      mean_od: '0.5123',
      integrated_od: '63251.9877',
      threshold_od: '0.1500',
    });
  });

  it('never prints exponents, -0 or locale separators', () => {
    const row = okRow({
      mineralPct: 1.234e-7,
      referenceAreaPx: 5e12,
      mineralAreaPx: -0,
      meanOd: -0.00001,
      referenceAreaUm2: 123456789.125,
      pixelSizeUm: 1.5e-7,
    });
    const text = formatResultsCsv([row]);
    const dataLine = text.split('\n')[1]!;
    expect(dataLine).not.toMatch(/\d[eE][+-]?\d/);
    const [rec] = csvRecords(text);
    expect(rec).toMatchObject({
      mineral_pct: '0.0000',
      reference_area_px: '5000000000000',
      mineral_area_px: '0',
      mean_od: '0.0000',
      reference_area_um2: '123456789.13',
      pixel_size_um: '0.00000015',
    });
  });
});

describe('number helpers', () => {
  it('formatFixed', () => {
    expect(formatFixed(-0, 4)).toBe('0.0000');
    expect(formatFixed(-1e-9, 2)).toBe('0.00');
    expect(formatFixed(-1.5, 2)).toBe('-1.50');
    expect(formatFixed(1e22, 0)).toBe('10000000000000000000000');
    expect(formatFixed(Number.NaN, 2)).toBe('');
    expect(formatFixed(Number.POSITIVE_INFINITY, 2)).toBe('');
  });

  it('formatSignificant keeps up to 6 significant digits', () => {
    expect(formatSignificant(0.32500000001, 6)).toBe('0.325');
    expect(formatSignificant(1.23456789, 6)).toBe('1.23457');
    expect(formatSignificant(0.000123456789, 6)).toBe('0.000123457');
    expect(formatSignificant(12, 6)).toBe('12');
    expect(formatSignificant(0, 6)).toBe('0');
    expect(formatSignificant(-0, 6)).toBe('0');
  });
});

describe('parseCsv', () => {
  it('handles CRLF, BOM, empty quoted fields and no final newline', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x ""y""",\r\n,""')).toEqual([
      ['a', 'b'],
      ['x "y"', ''],
      ['', ''],
    ]);
    expect(parseCsv('""')).toEqual([['']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('rejects an unclosed quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/INPUT_INVALID/);
  });
});

describe('resultsToJson', () => {
  const meta = {
    appVersion: '0.1.0',
    recipe: { format: 'mineral-recipe', schemaVersion: 2, id: 'ars-default' },
    recipeHash: 'ab'.repeat(32),
    createdAt: '2026-01-02T03:04:05.000Z',
  };

  it('wraps the same rows at full precision', () => {
    const rows = [okRow({ image: 'Probe Ä µ, "1".tif' }), errorRow()];
    const text = resultsToJson(rows, meta);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\n  "format"'); // pretty-printed
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc).toEqual({ format: 'calciquant-results', schemaVersion: 1, ...meta, images: rows });
    expect((doc.images as { mineralPct: number }[])[0]!.mineralPct).toBe(1.2499876543);
    expect('argv' in doc).toBe(false);
  });

  it('includes argv when given, and matches the CSV rows', () => {
    const rows = [okRow(), okRow({ image: 'b.tif' })];
    const doc = JSON.parse(resultsToJson(rows, { ...meta, argv: ['analyze', 'x.tif'] })) as {
      argv: string[];
      images: { image: string }[];
    };
    expect(doc.argv).toEqual(['analyze', 'x.tif']);
    expect(doc.images.map((r) => r.image)).toEqual(csvRecords(formatResultsCsv(rows)).map((r) => r.image));
  });
});
