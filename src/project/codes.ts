/**
 * Error codes used by the project store, in one place.
 * TODO(errors): ERROR_CODES (src/common/errors.ts) has no project-specific codes yet. Once
 * 'PROJECT_TOO_NEW' and 'PROJECT_INVALID' are added there, point these constants at them; callers
 * and tests use the constants, so nothing else changes.
 */
import type { ErrorCode } from '../common/errors.js';

/** A project file written by a newer Calciquant (like RECIPE_TOO_NEW). */
export const PROJECT_TOO_NEW_CODE: ErrorCode = 'INPUT_INVALID';
/** Not a project, or a project file (and its backup) damaged beyond use. */
export const PROJECT_INVALID_CODE: ErrorCode = 'INPUT_INVALID';
