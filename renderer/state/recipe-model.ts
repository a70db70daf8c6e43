/**
 * Pure edits of a recipe document (src/common/recipe-schema.ts). The document is the one source of
 * truth for the recipe panel; every control reads and writes one step's params through these.
 */
import { canonicalJson, parseRecipe, STEP_ORDER, type RecipeInput, type StepOp } from '../../src/common/recipe-schema.js';
import { toErrorInfo, type ErrorInfo } from '../../src/common/errors.js';

export type RecipeDoc = RecipeInput;
type StepInput = RecipeDoc['steps'][number];
type StepParamsMap = { [S in StepInput as S['op']]: S['params'] };
export type StepParams<O extends StepOp> = StepParamsMap[O];
export type ThresholdMethod = StepParams<'threshold'>['method'];
export type Rgb = readonly [number, number, number];

export function getParams<O extends StepOp>(doc: RecipeDoc, op: O): StepParams<O> | undefined {
  return doc.steps.find((s) => s.op === op)?.params as StepParams<O> | undefined;
}

/** Sets a step's params (inserting the step in pipeline order), or removes the step when `params` is null. */
export function setParams<O extends StepOp>(doc: RecipeDoc, op: O, params: StepParams<O> | null): RecipeDoc {
  const others = doc.steps.filter((s) => s.op !== op);
  if (params === null) return { ...doc, steps: others };
  const step = { op, params } as StepInput;
  const rank = (o: string) => STEP_ORDER.indexOf(o as StepOp);
  const at = others.findIndex((s) => rank(s.op) > rank(op));
  const steps = at < 0 ? [...others, step] : [...others.slice(0, at), step, ...others.slice(at)];
  return { ...doc, steps };
}

/** Merges a partial update into a step's params (the step must exist or `base` be given). */
export function patchParams<O extends StepOp>(doc: RecipeDoc, op: O, patch: Partial<StepParams<O>>, base?: StepParams<O>): RecipeDoc {
  const cur = getParams(doc, op) ?? base;
  if (!cur) return doc;
  return setParams(doc, op, { ...cur, ...patch } as StepParams<O>);
}

/** Default params when the user switches the threshold method. */
export function thresholdParams(method: ThresholdMethod, prev?: StepParams<'threshold'>): StepParams<'threshold'> {
  switch (method) {
    case 'local-contrast':
      return { method, minContrastOd: prev?.method === 'local-contrast' ? prev.minContrastOd : 0.2, edgeRadiusPx: 3 };
    case 'fixed':
      return { method, valueOd: prev?.method === 'fixed' ? prev.valueOd : 0.3 };
    default:
      return { method };
  }
}

/** Validates locally (same schema as the core); null when valid. Messages name the step and param. */
export function validateDoc(doc: RecipeDoc): ErrorInfo | null {
  try {
    parseRecipe(doc, doc.name || 'recipe');
    return null;
  } catch (e) {
    return toErrorInfo(e);
  }
}

export function sameRecipe(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Copy that a user can edit freely (the original documents are shared). */
export function cloneDoc(doc: unknown): RecipeDoc {
  return JSON.parse(JSON.stringify(doc)) as RecipeDoc;
}

export const roundTo = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;
