/** For the ROI readers' tests: run `f`, expect an ROI_INVALID AppError, return its user message. */
import { expect } from 'vitest';

export function roiRefusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as { code?: string }).code).toBe('ROI_INVALID');
    return (e as { userMessage: string }).userMessage;
  }
  throw new Error('expected ROI_INVALID');
}
