/**
 * The bundled stain models as the recipe panel offers them. The vectors are the starting values
 * shown in the custom-vector editor (the core's STAIN_MODELS, src/pipeline/stains.ts, is the
 * authority; a recipe that names a model without vectors always uses the core's).
 */
import type { Rgb } from './recipe-model.js';

export interface StainModelChoice {
  readonly id: string;
  readonly label: string;
  readonly mineral: Rgb;
  readonly mineralLabel: string;
  readonly counterstain: Rgb;
  readonly counterstainLabel: string;
}

const unit = (v: Rgb): Rgb => {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n].map((x) => Math.round(x * 1000) / 1000) as unknown as Rgb;
};

export const STAIN_MODEL_CHOICES: readonly StainModelChoice[] = [
  {
    id: 'alizarin-red-s/1',
    label: 'Alizarin Red S (calcium)',
    mineral: unit([0.12, 0.66, 0.74]),
    mineralLabel: 'Alizarin Red S',
    counterstain: unit([0.65, 0.7, 0.29]),
    counterstainLabel: 'Hematoxylin',
  },
  {
    id: 'von-kossa/1',
    label: 'von Kossa (silver phosphate)',
    mineral: unit([0.55, 0.58, 0.6]),
    mineralLabel: 'Silver',
    counterstain: unit([0.214, 0.851, 0.478]),
    counterstainLabel: 'Nuclear fast red',
  },
];

export function stainChoice(id: string | undefined): StainModelChoice | undefined {
  return STAIN_MODEL_CHOICES.find((c) => c.id === id);
}

/** The colour a stain vector transmits under white light (for a swatch): T = 10^(−OD·k). */
export function stainSwatch(v: Rgb, amountOd = 0.8): string {
  const c = v.map((k) => Math.round(255 * 10 ** (-k * amountOd)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
