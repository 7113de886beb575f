import { DEFAULTS } from '../core/defaults.js'

/** @internal The `workers` section of `DEFAULTS` (exported from the root entry), for the code of this folder. */
export const WORKER_DEFAULTS = DEFAULTS.workers
