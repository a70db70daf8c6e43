/**
 * Accuracy against exact ground truth (issue: core engine). Floors: mean absolute error ≤ 1.0
 * percentage point, no image worse than 4 pp, mean Dice of the mineral mask ≥ 0.93. The product
 * target is ≤ 0.5 pp, asserted too. Dice of an image without mineral in truth and result is 1.
 */
import { describe, expect, it } from 'vitest';
import { evaluateSynthetic, hasSyntheticData, summarize, syntheticIndex, SYNTHETIC_DIR, type EvalRow } from './synthetic-eval.js';

if (!hasSyntheticData) console.warn(`accuracy test skipped: ${SYNTHETIC_DIR}/index.json not found (shared test data absent)`);

describe.skipIf(!hasSyntheticData)('accuracy on the 40 synthetic images with exact ground truth', () => {
  it('meets the floors and the product target', async () => {
    const rows: EvalRow[] = [];
    for (const e of syntheticIndex()) rows.push(await evaluateSynthetic(e));
    console.table(rows.map((r) => ({
      image: r.image, difficulty: r.difficulty, truePct: r.truePct.toFixed(2), measuredPct: r.measuredPct.toFixed(2),
      errorPp: r.errorPp.toFixed(3), dice: r.dice.toFixed(3), refErrPct: r.referenceErrorPct.toFixed(2),
    })));
    const s = summarize(rows);
    console.table(Object.fromEntries(Object.entries(s.byScene).map(([k, v]) => [k, { n: v.n, maePp: v.maePp.toFixed(3), maxPp: v.maxPp.toFixed(2), dice: v.dice.toFixed(3) }])));
    console.log(`overall: MAE ${s.maePp.toFixed(3)} pp, max ${s.maxPp.toFixed(2)} pp, mean Dice ${s.meanDice.toFixed(3)}`);
    expect(rows).toHaveLength(40);
    expect(s.maePp).toBeLessThanOrEqual(0.5);
    expect(s.maxPp).toBeLessThanOrEqual(4);
    expect(s.maxPp, 'regression guard: no image worse than 1.5 pp today').toBeLessThanOrEqual(1.5);
    expect(s.meanDice).toBeGreaterThanOrEqual(0.93);
    for (const r of rows) expect(Math.abs(r.errorPp), r.image).toBeLessThanOrEqual(4);
  }, 300_000);
});
