import { DEFAULTS } from '../core/defaults.js'

/** @internal The `health` section of `DEFAULTS`. */
export const HEALTH_DEFAULTS = DEFAULTS.health
