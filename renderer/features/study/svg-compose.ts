/**
 * Small SVG building blocks for the charts: themes, elements, a colour-ramp legend, a group key,
 * stacking several SVGs into one (so a chart exports as one self-contained file), and a title band.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface ChartTheme {
  readonly name: 'dark' | 'light';
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly fontFamily: string;
}

const FONT = "Inter, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif";
/** On screen, on the app's panels. */
export const DARK_THEME: ChartTheme = { name: 'dark', background: '#1a1d21', text: '#e4e7eb', muted: '#aab2bc', grid: '#3c434b', fontFamily: FONT };
/** Exported files: white paper, for slides and manuscripts. */
export const LIGHT_THEME: ChartTheme = { name: 'light', background: '#ffffff', text: '#1b1d21', muted: '#5b636d', grid: '#d5d9de', fontFamily: FONT };

export function svgEl<K extends keyof SVGElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export const svgSize = (svg: SVGSVGElement) => ({ width: Number(svg.getAttribute('width')) || 0, height: Number(svg.getAttribute('height')) || 0 });

/** Stacks SVGs vertically (each nested at its offset) into one SVG with a background. */
export function stackSvgs(doc: Document, parts: readonly SVGSVGElement[], theme: ChartTheme, o: { gapPx?: number; padPx?: number } = {}): SVGSVGElement {
  const gap = o.gapPx ?? 4, pad = o.padPx ?? 0;
  const sizes = parts.map(svgSize);
  const width = Math.ceil(Math.max(...sizes.map((s) => s.width)) + 2 * pad);
  const height = Math.ceil(sizes.reduce((h, s) => h + s.height, 0) + gap * (parts.length - 1) + 2 * pad);
  const out = svgEl(doc, 'svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': theme.fontFamily });
  out.appendChild(svgEl(doc, 'rect', { width, height, fill: theme.background }));
  let y = pad;
  parts.forEach((p, i) => {
    p.setAttribute('x', String(pad));
    p.setAttribute('y', String(y));
    out.appendChild(p);
    y += sizes[i]!.height + gap;
  });
  return out;
}

/** A horizontal colour ramp with ticks and a label (pure SVG: no canvas, exports as vector). */
export function rampLegend(
  doc: Document,
  o: { stops: readonly { offset: number; color: string }[]; domain: readonly [number, number]; label: string; widthPx: number; theme: ChartTheme; idSuffix: string },
): SVGSVGElement {
  const w = o.widthPx, barH = 10, left = 8, top = 18, height = top + barH + 18;
  const svg = svgEl(doc, 'svg', { width: w + 2 * left, height, 'font-family': o.theme.fontFamily, 'font-size': 10.5 });
  const defs = svgEl(doc, 'defs');
  const id = `ramp-${o.idSuffix}`;
  const grad = svgEl(doc, 'linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  for (const s of o.stops) grad.appendChild(svgEl(doc, 'stop', { offset: s.offset, 'stop-color': s.color }));
  defs.appendChild(grad);
  svg.appendChild(defs);
  svg.appendChild(svgEl(doc, 'text', { x: left, y: 12, fill: o.theme.text, 'font-weight': 600 }, o.label));
  svg.appendChild(svgEl(doc, 'rect', { x: left, y: top, width: w, height: barH, fill: `url(#${id})`, rx: 2 }));
  const [lo, hi] = o.domain;
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const v = lo + ((hi - lo) * i) / ticks, x = left + (w * i) / ticks;
    svg.appendChild(svgEl(doc, 'line', { x1: x, x2: x, y1: top + barH, y2: top + barH + 3, stroke: o.theme.muted }));
    const anchor = i === 0 ? 'start' : i === ticks ? 'end' : 'middle';
    svg.appendChild(svgEl(doc, 'text', { x, y: top + barH + 14, fill: o.theme.muted, 'text-anchor': anchor }, String(Number(v.toPrecision(3)))));
  }
  return svg;
}

/** One line of keys: a swatch (ring) and a text per item, wrapping to the width. */
export function keyLegend(doc: Document, o: { items: readonly { color: string; text: string }[]; widthPx: number; theme: ChartTheme; title?: string }): SVGSVGElement {
  const lineH = 16, left = 8, charPx = 6.1;
  const svg = svgEl(doc, 'svg', { width: o.widthPx, height: 0, 'font-family': o.theme.fontFamily, 'font-size': 10.5 });
  let x = left, y = 12;
  if (o.title) {
    svg.appendChild(svgEl(doc, 'text', { x, y, fill: o.theme.text, 'font-weight': 600 }, o.title));
    x += o.title.length * charPx + 10;
  }
  for (const it of o.items) {
    const w = 16 + it.text.length * charPx + 14;
    if (x + w > o.widthPx && x > left) (x = left), (y += lineH);
    svg.appendChild(svgEl(doc, 'circle', { cx: x + 5, cy: y - 4, r: 4.5, fill: 'none', stroke: it.color, 'stroke-width': 2.5 }));
    svg.appendChild(svgEl(doc, 'text', { x: x + 14, y, fill: o.theme.muted }, it.text));
    x += w;
  }
  svg.setAttribute('height', String(y + 6));
  return svg;
}

/** A copy of a chart with a title (and a subtitle) above it, for export. */
export function withTitle(doc: Document, chart: SVGSVGElement, o: { title: string; subtitle?: string; theme: ChartTheme }): SVGSVGElement {
  const head = svgEl(doc, 'svg', { width: svgSize(chart).width, height: o.subtitle ? 40 : 26, 'font-family': o.theme.fontFamily });
  head.appendChild(svgEl(doc, 'text', { x: 10, y: 18, fill: o.theme.text, 'font-size': 14, 'font-weight': 650 }, o.title));
  if (o.subtitle) head.appendChild(svgEl(doc, 'text', { x: 10, y: 34, fill: o.theme.muted, 'font-size': 11 }, o.subtitle));
  return stackSvgs(doc, [head, chart.cloneNode(true) as SVGSVGElement], o.theme, { padPx: 8, gapPx: 2 });
}
