import { DEFAULTS } from '../core/defaults.js'

/** @internal The `http` section of `DEFAULTS` (exported from the root entry), for the code of this folder. */
export const HTTP_DEFAULTS = DEFAULTS.http
