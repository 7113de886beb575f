/**
 * Defaults of `graceful-lifecycle/cluster`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * clusterPrimary({ readyTimeout: CLUSTER_DEFAULTS.readyTimeout * 2 })
 * ```
 */
export const CLUSTER_DEFAULTS = {
  /** Component name. */
  name: 'cluster',
  /** How long a new worker may take to be ready (its lifecycle started and, with `listening`, its server listening), in ms. */
  readyTimeout: 30_000,
  /** The signal that restarts the workers one at a time. */
  reloadOn: 'SIGHUP',
  /** How long a worker that exits on its own waits before it is replaced, in ms (a crash loop must not fork a storm). */
  respawnDelay: 1_000,
  /** How long an old worker may take to stop during a reload before it is killed, in ms: a worker that never exits must not stall the reload. */
  reloadTimeout: 30_000,
} as const
