/**
 * The stain models the recipe panel offers: the core's (AppInfo.stainModels, src/pipeline/stains.ts
 * is the authority), with vectors rounded for the custom-vector editor's starting values.
 */
import type { StainModelInfo } from '../../src/common/api.js';
import type { Rgb } from './recipe-model.js';

export interface StainModelChoice {
  readonly id: string;
  readonly label: string;
  readonly mineral: Rgb;
  readonly mineralLabel: string;
  readonly counterstain: Rgb;
  readonly counterstainLabel: string;
}

const rounded = (v: readonly number[]): Rgb => v.map((x) => Math.round(x * 1000) / 1000) as unknown as Rgb;

export function stainChoices(models: readonly StainModelInfo[]): readonly StainModelChoice[] {
  return models.map((m) => ({
    id: m.id,
    label: m.label,
    mineral: rounded(m.mineral),
    mineralLabel: m.mineralName,
    counterstain: rounded(m.counterstain),
    counterstainLabel: m.counterstainName,
  }));
}

/** The colour a stain vector transmits under white light (for a swatch): T = 10^(−OD·k). */
export function stainSwatch(v: Rgb, amountOd = 0.8): string {
  const c = v.map((k) => Math.round(255 * 10 ** (-k * amountOd)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
