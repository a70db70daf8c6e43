// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { DotPlotData } from '../../renderer/features/study/chart-data.js';
import { dotPlotSvg } from '../../renderer/features/study/dot-plot-chart.js';
import { DARK_THEME } from '../../renderer/features/study/svg-compose.js';

function data(values: readonly number[], mode: DotPlotData['mode'] = 'pct'): DotPlotData {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    groups: [{ index: 0, group: 'control', label: 'control', isControl: false, n: values.length, mean, sd: 1, color: '#56B4E9' }],
    points: values.map((value) => ({ groupIndex: 0, x: 0, value, title: 'x', color: '#56B4E9' })),
    mode, yLabel: 'Mineralized area (%)', dotWord: 'images', basis: 'units', yMax: Math.max(...values), yMin: 0,
  };
}

/** The y-axis tick labels of the chart as drawn. */
const yTicks = (svg: SVGSVGElement) => [...svg.querySelectorAll('[aria-label="y-axis tick label"] text')].map((t) => t.textContent ?? '');

describe('group chart', () => {
  it('labels the y axis with plain numbers at any range (never 5e+1)', () => {
    for (const values of [[1.8, 25.5, 49.3], [0.2, 0.9, 1.4], [120, 380]]) {
      const ticks = yTicks(dotPlotSvg(data(values), DARK_THEME, { width: 500, height: 300 }));
      expect(ticks.length, String(values)).toBeGreaterThan(2);
      for (const t of ticks) expect(t, `${values}`).toMatch(/^−?\d+(\.\d+)?$/);
    }
    expect(yTicks(dotPlotSvg(data([10, 20, 40]), DARK_THEME, { width: 500, height: 300 }))).toContain('40');
  });
});
