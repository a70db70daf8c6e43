/**
 * A chart with its title and SVG / PNG export. The chart is built by `build` (Observable Plot) for
 * the card's size in the dark theme on screen; exports are rebuilt in the light theme with a title.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Icon } from '../../components/Icon.js';
import { useAppStore, useClient } from '../../state/use-app-store.js';
import { saveChart } from './chart-export.js';
import { DARK_THEME, LIGHT_THEME, withTitle, type ChartTheme } from './svg-compose.js';

export type ChartBuilder = (theme: ChartTheme, size: { width: number; height: number }, idSuffix: string) => SVGSVGElement | null;

export interface ChartCardProps {
  readonly title: string;
  /** One line under the title: what a dot / colour is, n, units. */
  readonly subtitle: string;
  readonly build: ChartBuilder | null;
  readonly testId: string;
  /** Controls in the card's header (plate choice, % / fold change). */
  readonly tools?: ReactNode;
  /** Size of exported files (CSS px). */
  readonly exportSize: { width: number; height: number };
  readonly empty?: string;
}

export function ChartCard(p: ChartCardProps) {
  const client = useClient();
  const report = useAppStore((s) => s.reportError);
  const notify = useAppStore((s) => s.notify);
  const svgHost = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);

  useEffect(() => {
    const el = svgHost.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const next = { width: Math.max(240, Math.floor(r.width)), height: Math.max(200, Math.floor(r.height)) };
      setSize((s) => (s && Math.abs(s.width - next.width) < 2 && Math.abs(s.height - next.height) < 2 ? s : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = svgHost.current;
    if (!el || !size) return;
    const svg = p.build?.(DARK_THEME, size, p.testId) ?? null;
    el.replaceChildren(...(svg ? [svg] : []));
  }, [p.build, p.testId, size]);

  const save = async (format: 'svg' | 'png') => {
    try {
      const chart = p.build?.(LIGHT_THEME, p.exportSize, `${p.testId}-export`);
      if (!chart) return;
      const saved = await saveChart(client, withTitle(document, chart, { title: p.title, subtitle: p.subtitle, theme: LIGHT_THEME }), p.title, format);
      if (saved) notify('success', `Chart saved as ${saved}.`);
    } catch (e) {
      report(e);
    }
  };

  return (
    <figure className="chart-card" data-testid={p.testId}>
      <figcaption className="chart-head">
        <div className="chart-titles">
          <span className="chart-title">{p.title}</span>
          <span className="chart-sub">{p.subtitle}</span>
        </div>
        {p.tools}
        <div className="chart-export">
          <button type="button" className="btn ghost small" disabled={!p.build} onClick={() => void save('svg')} title="Save the chart as SVG (vector, white background)" data-testid={`${p.testId}-svg`}>
            <Icon name="download" size={12} /> SVG
          </button>
          <button type="button" className="btn ghost small" disabled={!p.build} onClick={() => void save('png')} title="Save the chart as PNG (2× resolution, white background)" data-testid={`${p.testId}-png`}>
            <Icon name="download" size={12} /> PNG
          </button>
        </div>
      </figcaption>
      <div className="chart-body">
        <div ref={svgHost} className="chart-svg" />
        {!p.build && p.empty ? <div className="chart-empty">{p.empty}</div> : null}
      </div>
    </figure>
  );
}
