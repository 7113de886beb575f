// Every error class lives in src/core/errors.ts (one file, one code each); kept for this folder's imports.
export { SourceCallError, WorkerCrashedError } from '../core/errors.js'
