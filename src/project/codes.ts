/** Error codes used by the project store, in one place. */
import type { ErrorCode } from '../common/errors.js';

/** A project file written by a newer Calciquant (like RECIPE_TOO_NEW). */
export const PROJECT_TOO_NEW_CODE: ErrorCode = 'PROJECT_TOO_NEW';
/** Not a project, or a project file (and its backup) damaged beyond use. */
export const PROJECT_INVALID_CODE: ErrorCode = 'PROJECT_INVALID';
