/**
 * The group chart (Observable Plot): every sample as a dot, coloured by group, over the group's
 * mean (bar) ± SD (whisker); n under each group; y in mineral % or fold change over the control.
 */
import * as Plot from '@observablehq/plot';
import type { DotGroup, DotPlotData } from './chart-data.js';
import type { ChartTheme } from './svg-compose.js';

const fmt = (v: number, fold: boolean) => (fold ? v.toFixed(2) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

export function dotPlotSvg(d: DotPlotData, theme: ChartTheme, size: { width: number; height: number }, doc: Document = document): SVGSVGElement {
  const fold = d.mode === 'fold';
  const k = Math.max(1, d.groups.length);
  const withMean = d.groups.filter((g): g is DotGroup & { mean: number } => g.mean !== null);
  const withSd = withMean.filter((g): g is DotGroup & { mean: number; sd: number } => g.sd !== null);
  const capW = Math.min(0.1, 0.5 / k + 0.02), barW = Math.min(0.3, 0.9 / k + 0.1);
  const pxPerGroup = (size.width - 70) / k;
  const showMeanText = pxPerGroup >= 90;
  const label = (i: number) => {
    const g = d.groups[i];
    if (!g) return '';
    const name = g.label.length > 18 && pxPerGroup < 130 ? `${g.label.slice(0, 16)}…` : g.label;
    return `${name}${g.isControl ? ' ★' : ''}\nn = ${g.n}`;
  };
  const svg = Plot.plot({
    document: doc,
    width: size.width,
    height: size.height,
    marginLeft: 54,
    marginRight: 14,
    marginTop: 22,
    marginBottom: 40,
    style: { background: theme.background, color: theme.text, fontSize: '11px', fontFamily: theme.fontFamily, overflow: 'visible' },
    x: { type: 'linear', domain: [-0.55, k - 0.45], ticks: d.groups.map((g) => g.index), tickFormat: label, tickSize: 0, label: null, tickPadding: 8 },
    y: { domain: [d.yMin, d.yMax * 1.08 || 1], nice: true, grid: true, label: `↑ ${d.yLabel}`, labelArrow: 'none', tickFormat: fold ? '.2~f' : '~f' },
    color: { type: 'identity' },
    marks: [
      fold ? Plot.ruleY([1], { stroke: theme.muted, strokeDasharray: '4 3', strokeOpacity: 0.8 }) : Plot.ruleY([0], { stroke: theme.muted, strokeOpacity: 0.6 }),
      Plot.dot(d.points, { x: 'x', y: 'value', r: 3.6, fill: 'color', fillOpacity: 0.9, stroke: theme.background, strokeWidth: 0.8, title: (p: DotPlotData['points'][number]) => `${p.title}\n${fmt(p.value, fold)}${fold ? '' : ' %'}` }),
      Plot.ruleX(withSd, { x: 'index', y1: (g: DotGroup & { mean: number; sd: number }) => g.mean - g.sd, y2: (g: DotGroup & { mean: number; sd: number }) => g.mean + g.sd, stroke: theme.text, strokeWidth: 1.4 }),
      Plot.ruleY(withSd, { y: (g: DotGroup & { mean: number; sd: number }) => g.mean + g.sd, x1: (g: DotGroup) => g.index - capW, x2: (g: DotGroup) => g.index + capW, stroke: theme.text, strokeWidth: 1.4 }),
      Plot.ruleY(withSd, { y: (g: DotGroup & { mean: number; sd: number }) => g.mean - g.sd, x1: (g: DotGroup) => g.index - capW, x2: (g: DotGroup) => g.index + capW, stroke: theme.text, strokeWidth: 1.4 }),
      Plot.ruleY(withMean, { y: 'mean', x1: (g: DotGroup) => g.index - barW, x2: (g: DotGroup) => g.index + barW, stroke: theme.text, strokeWidth: 2.6 }),
      showMeanText
        ? Plot.text(withMean, { x: (g: DotGroup) => g.index + barW, y: 'mean', text: (g: DotGroup & { mean: number }) => fmt(g.mean, fold), textAnchor: 'start', dx: 4, fill: theme.muted, fontSize: 10 })
        : null,
    ],
  });
  svg.setAttribute('data-chart', 'dot-plot');
  return svg as SVGSVGElement;
}
