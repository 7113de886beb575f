import type { LifecycleState } from '../core/types.js'

/** What the health handlers read of a `Lifecycle`. */
export interface HealthLifecycleLike {
  readonly state: LifecycleState
  /** Aborts the moment a stop begins. */
  readonly signal: AbortSignal
}

/** What {@link health}'s `status()` returns. */
export interface HealthStatus {
  /** Started and no stop has begun: route traffic here. */
  readonly ready: boolean
  /** Not stopped yet (a stop may be under way): do not restart this process. */
  readonly live: boolean
  readonly state: LifecycleState
}

/** @internal */
export function statusOf(lifecycle: HealthLifecycleLike): HealthStatus {
  const { state } = lifecycle
  return {
    ready: state === 'running' && !lifecycle.signal.aborted,
    live: state !== 'stopped',
    state,
  }
}
