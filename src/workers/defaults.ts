/**
 * Defaults of `graceful-lifecycle/workers`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * consumer('jobs', { source, handle, concurrency: WORKER_DEFAULTS.concurrency * 4 })
 * ```
 */
export const WORKER_DEFAULTS = {
  /** Handlers a consumer runs at once. */
  concurrency: 1,
  /** Pull sources: how long a consumer waits before asking again after `next()` returned `undefined`, in ms. */
  pollInterval: 100,
  /** What a worker (or a pull consumer) does when its loop (its source) fails before the stop: see `CrashPolicy`. */
  onCrash: 'log' as 'log' | 'stop',
} as const
