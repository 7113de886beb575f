import { DEFAULTS } from '../core/defaults.js'

/** @internal The `health` section of `DEFAULTS` (exported from the root entry), for the code of this folder. */
export const HEALTH_DEFAULTS = DEFAULTS.health
