/**
 * Defaults of `graceful-lifecycle/health`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * drainDelay(5_000, { timeout: 5_000 + HEALTH_DEFAULTS.drainDelaySlack })
 * ```
 */
export const HEALTH_DEFAULTS = {
  /** Component name of `drainDelay()`. */
  drainDelayName: 'drain-delay',
  /** What `drainDelay(ms)`'s budget adds to `ms` (timers fire late under load), in ms. */
  drainDelaySlack: 500,
} as const
