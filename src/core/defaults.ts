/**
 * Every default of the package, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * new Lifecycle({ timeout: DEFAULTS.timeout * 2 })
 * ```
 */
export const DEFAULTS = {
  /** Budget of a whole `stop()`, in ms. Leaves 5 s of Kubernetes' default 30 s grace period. */
  timeout: 25_000,
  /** Budget of one stop hook, in ms, when the component sets none. */
  hookTimeout: 10_000,
  /** Budget of one start hook, in ms, when the component sets none. */
  startTimeout: 15_000,
  /** What a hook gets after the global deadline has passed, in ms: enough to close a pool or flush a log. */
  finalGrace: 1_000,
} as const
