/**
 * The plate heat map's colour scale: cividis (perceptually uniform, colour-blind safe, lightness
 * rising with the value), from 0 to a round maximum; grey for wells without a value; readable text
 * colour on each fill.
 */
import * as Plot from '@observablehq/plot';

export const HEAT_SCHEME = 'cividis';
export const MISSING_FILL = '#4a5058';

export interface HeatScale {
  readonly domain: readonly [number, number];
  /** Fill for a value (MISSING_FILL for null / not finite). */
  color(v: number | null): string;
  /** Black or white, whichever reads better on color(v). */
  textColor(v: number | null): string;
  /** Colour stops for a gradient legend (offset 0–1). */
  stops(n?: number): { offset: number; color: string }[];
}

/** 1, 2, 2.5, 5 × 10ⁿ at or above `v` (≥ 1 % for a scale of percentages). */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  const m = [1, 2, 2.5, 5, 10].find((k) => k * pow >= v - 1e-9)!;
  return Math.max(1, m * pow);
}

/** sRGB relative luminance (WCAG) of `rgb(r, g, b)` or `#rrggbb`. */
export function luminance(color: string): number {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  const c = m ? [m[1], m[2], m[3]].map(Number) : hex ? [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) : [128, 128, 128];
  const lin = c.map((x) => {
    const s = x! / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

export function heatScale(values: readonly (number | null)[]): HeatScale {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const domain = [0, niceMax(Math.max(0, ...finite))] as const;
  const scale = Plot.scale({ color: { type: 'linear', scheme: HEAT_SCHEME, domain: [...domain], clamp: true } });
  const color = (v: number | null) => (v === null || !Number.isFinite(v) ? MISSING_FILL : String(scale.apply(v)));
  return {
    domain,
    color,
    textColor: (v) => (luminance(color(v)) > 0.28 ? '#111111' : '#ffffff'),
    stops: (n = 11) => Array.from({ length: n }, (_, i) => ({ offset: i / (n - 1), color: color(domain[0] + ((domain[1] - domain[0]) * i) / (n - 1)) })),
  };
}
