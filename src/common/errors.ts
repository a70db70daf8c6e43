/**
 * Typed errors shared by every layer. Identify errors by `code`/`name`, never by `instanceof`
 * (errors cross worker, IPC and HTTP boundaries as plain objects).
 */
export const ERROR_CODES = [
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'IMAGE_UNSUPPORTED',
  'CALIBRATION_MISSING',
  'RECIPE_INVALID',
  'RECIPE_TOO_NEW',
  'ROI_INVALID',
  'REFERENCE_EMPTY',
  'OUTPUT_UNWRITABLE',
  'INPUT_INVALID',
  'PROJECT_LOCKED',
  'PROJECT_TOO_NEW',
  'PROJECT_INVALID',
  'WORKER_CRASHED',
  'WORKER_OUT_OF_MEMORY',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  /** What happened and what to do, in words a microscopist understands. */
  readonly userMessage: string;
  constructor(code: ErrorCode, userMessage: string, o: { detail?: string; cause?: unknown } = {}) {
    super(`${code}: ${o.detail ?? userMessage}`, { cause: o.cause });
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** A broken invariant inside our own code (never bad input). Reported as INTERNAL. */
export class BugError extends Error {
  override readonly name = 'BugError';
}

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly userMessage: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}

export function isAppErrorLike(e: unknown): e is { code: ErrorCode; userMessage: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    isErrorCode((e as { code?: unknown }).code) &&
    typeof (e as { userMessage?: unknown }).userMessage === 'string'
  );
}

/** Converts anything thrown into an AppError (boundaries call this). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (isAppErrorLike(e)) return new AppError(e.code, e.userMessage, { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('INTERNAL', `Unexpected internal error: ${message}. Please report it with the image.`, {
    cause: e,
  });
}

export function toErrorInfo(e: unknown): ErrorInfo {
  const a = toAppError(e);
  return { code: a.code, userMessage: a.userMessage };
}
