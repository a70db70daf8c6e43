/**
 * Colours of regions (Okabe–Ito, colour-blind safe). Sky blue (#56B4E9) is the analysis' reference
 * outline and yellow (#F0E442) the mineral, so include regions never use them; exclude regions are
 * always vermillion (#D55E00) and hatched.
 */
import type { Roi, RoiRole } from '../../src/common/roi.js';

export interface RoiColourChoice {
  readonly hex: string;
  readonly name: string;
}

/** Include-region colours, in the order new regions get them. */
export const INCLUDE_COLOURS: readonly RoiColourChoice[] = [
  { hex: '#009E73', name: 'bluish green' },
  { hex: '#CC79A7', name: 'reddish purple' },
  { hex: '#E69F00', name: 'orange' },
  { hex: '#0072B2', name: 'blue' },
  { hex: '#FFFFFF', name: 'white' },
];
export const EXCLUDE_COLOUR = '#D55E00';
/** Lighter tints for text and outlines on the dark UI. */
const UI_TINT: Readonly<Record<string, string>> = { '#009E73': '#2fc99a', '#0072B2': '#3b9be0', '#D55E00': '#f07a2a' };

export function roiColour(r: Pick<Roi, 'role' | 'colour'>): string {
  if (r.role === 'exclude') return EXCLUDE_COLOUR;
  return r.colour ?? INCLUDE_COLOURS[0]!.hex;
}

/** The colour for the region's swatch and text in panels (brighter where the pure one is too dark). */
export function roiUiColour(r: Pick<Roi, 'role' | 'colour'>): string {
  const c = roiColour(r).toUpperCase();
  return UI_TINT[c] ?? c;
}

/** Colour for a new region: the first include colour not used yet (cycling when all are). */
export function nextIncludeColour(rois: readonly Roi[]): string {
  const used = rois.filter((r) => r.role === 'include').map((r) => (r.colour ?? '').toUpperCase());
  const free = INCLUDE_COLOURS.find((c) => !used.includes(c.hex));
  return (free ?? INCLUDE_COLOURS[used.length % INCLUDE_COLOURS.length]!).hex;
}

export function roleColour(role: RoiRole): string {
  return role === 'exclude' ? EXCLUDE_COLOUR : INCLUDE_COLOURS[0]!.hex;
}

/** `rgba()` of a #rrggbb colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** How a region is named in lists and results: its label, else “Region n” / “Exclude n” by position. */
export function roiDisplayName(r: Roi, rois: readonly Roi[]): string {
  if (r.label) return r.label;
  const same = rois.filter((x) => x.role === r.role);
  return `${r.role === 'exclude' ? 'Exclude' : 'Region'} ${same.indexOf(r) + 1}`;
}
