/**
 * The plate heat map (Observable Plot): wells in their plate positions, filled by mineral %
 * (cividis), ringed in their group's colour with the group's short label; empty positions dashed;
 * a colour ramp and a group key above, all in one SVG.
 */
import * as Plot from '@observablehq/plot';
import type { HeatScale } from '../plate/heat-scale.js';
import type { HeatCell, HeatmapData } from './chart-data.js';
import { keyLegend, rampLegend, stackSvgs, type ChartTheme } from './svg-compose.js';

export interface HeatmapOptions {
  /** Largest well pitch on screen. */
  readonly maxCellPx: number;
  /** Size available for the whole chart (legend included). */
  readonly widthPx: number;
  readonly heightPx: number;
  readonly theme: ChartTheme;
  /** Unique per chart in a document (gradient ids). */
  readonly idSuffix: string;
}

const pctText = (v: number | null) => (v === null ? '×' : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function heatmapSvg(d: HeatmapData, scale: HeatScale, o: HeatmapOptions, doc: Document = document): SVGSVGElement {
  const grid = d.grid, theme = o.theme;
  const marginLeft = 26, marginTop = 22, marginRight = 8, marginBottom = 6;
  const legendPx = d.groups.length ? 74 : 52;
  const fitW = (o.widthPx - marginLeft - marginRight) / grid.cols, fitH = (o.heightPx - legendPx - marginTop - marginBottom) / grid.rows;
  const cell = Math.max(22, Math.floor(Math.min(o.maxCellPx, fitW, fitH)));
  const width = marginLeft + marginRight + cell * grid.cols, height = marginTop + marginBottom + cell * grid.rows;
  const r = cell * 0.43;
  const measured = new Set(d.cells.map((c) => c.well));
  const empty = grid.ids.filter((id) => !measured.has(id)).map((id) => ({ col: String(Number(id.slice(1))), row: id[0]! }));
  const colOf = (c: HeatCell) => String(c.col + 1);
  const rowOf = (c: HeatCell) => grid.rowLabels[c.row]!;
  const groupColor = new Map(d.groups.map((g) => [g.name, g.color] as const));
  const big = cell >= 40;
  const twoLines = cell >= 34 && d.cells.some((c) => c.abbr);
  const plate = Plot.plot({
    document: doc,
    width,
    height,
    marginLeft,
    marginTop,
    marginRight,
    marginBottom,
    style: { background: theme.background, color: theme.text, fontSize: '11px', fontFamily: theme.fontFamily },
    x: { type: 'band', domain: Array.from({ length: grid.cols }, (_, i) => String(i + 1)), axis: 'top', tickSize: 0, label: null, padding: 0 },
    y: { type: 'band', domain: [...grid.rowLabels], tickSize: 0, label: null, padding: 0 },
    color: { type: 'identity' },
    marks: [
      Plot.dot(empty, { x: 'col', y: 'row', r, stroke: theme.grid, strokeDasharray: '3 3', fill: 'none' }),
      Plot.dot(d.cells, {
        x: colOf,
        y: rowOf,
        r,
        fill: (c: HeatCell) => scale.color(c.pct),
        stroke: (c: HeatCell) => (c.group ? groupColor.get(c.group) ?? theme.muted : theme.grid),
        strokeWidth: big ? 3 : 2.2,
        title: (c: HeatCell) => `${c.well}${c.group ? ` · ${c.group}` : ''}\n${c.pct === null ? 'not measured' : `${c.pct.toFixed(2)} % mineralized`}`,
      }),
      Plot.text(d.cells, {
        x: colOf,
        y: rowOf,
        text: (c: HeatCell) => pctText(c.pct),
        dy: twoLines ? -5 : 0,
        fill: (c: HeatCell) => scale.textColor(c.pct),
        fontSize: big ? 11 : 9,
        fontWeight: 600,
      }),
      twoLines
        ? Plot.text(d.cells, { x: colOf, y: rowOf, text: 'abbr', dy: 7, fill: (c: HeatCell) => scale.textColor(c.pct), fontSize: big ? 9.5 : 8.5, fillOpacity: 0.85 })
        : null,
    ],
  }) as SVGSVGElement;
  plate.setAttribute('data-chart', 'heatmap-plate');
  const ramp = rampLegend(doc, { stops: scale.stops(), domain: scale.domain, label: 'Mineralized area (%)', widthPx: Math.min(220, width - 20), theme, idSuffix: o.idSuffix });
  const parts = [ramp];
  if (d.groups.length) {
    parts.push(keyLegend(doc, { items: d.groups.map((g) => ({ color: g.color, text: twoLines || big ? `${g.abbr} = ${g.name}` : g.name })), widthPx: width, theme, title: 'Group' }));
  }
  const out = stackSvgs(doc, [...parts, plate], theme, { gapPx: 2 });
  out.setAttribute('data-chart', 'heatmap');
  out.setAttribute('data-wells', String(d.cells.length));
  return out;
}
