/**
 * Reading a validated recipe's steps, without zod: the analysis workers import this and not
 * recipe-schema.ts, so they do not load zod (about 220 modules; a smaller heap makes each of V8's
 * full GCs, about one per 12 MP image, cheaper).
 */
import type { Recipe, RecipeStep, StepOp } from './recipe-schema.js';

export function findStep<O extends StepOp>(recipe: Recipe, op: O): Extract<RecipeStep, { op: O }> | undefined {
  return recipe.steps.find((s): s is Extract<RecipeStep, { op: O }> => s.op === op);
}
