/** Reading and editing one step of the recipe document from a panel section. */
import { useCallback } from 'react';
import type { StepOp } from '../../../src/common/recipe-schema.js';
import { getParams, setParams, type StepParams } from '../../state/recipe-model.js';
import { setPreviewDragging } from '../../state/use-live-preview.js';
import { useAppStore } from '../../state/use-app-store.js';

export function useStepParams<O extends StepOp>(op: O): [StepParams<O> | undefined, (p: StepParams<O> | null) => void] {
  const params = useAppStore((s) => (s.recipeDoc ? getParams(s.recipeDoc, op) : undefined));
  const edit = useAppStore((s) => s.editRecipe);
  const set = useCallback((p: StepParams<O> | null) => edit((doc) => setParams(doc, op, p)), [edit, op]);
  return [params, set];
}

/** Sliders call this with true on press and false on release. */
export const onSliderDrag = setPreviewDragging;
