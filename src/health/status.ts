import type { LifecycleState } from '../core/types.js'
import type { CheckResult } from './checks.js'

/** @internal What the health handlers read of the lifecycle they are registered with. */
export interface LifecycleView {
  readonly state: () => LifecycleState
  /** Aborts the moment a stop begins. */
  readonly stopping: AbortSignal
}

/** What {@link health}'s `status()` and `check()` return. */
export interface HealthStatus {
  /** Started, no stop has begun, and every dependency check passed its last run: route traffic here. */
  readonly ready: boolean
  /** Not stopped yet (a stop may be under way): do not restart this process. Never depends on the checks. */
  readonly live: boolean
  readonly state: LifecycleState
  /** The last result of each dependency check, when `health()` was given any. */
  readonly checks?: Readonly<Record<string, CheckResult>>
}

/** @internal Not registered: idle, so not ready, and alive. */
export function statusOf(
  view: LifecycleView | undefined,
  checks?: Record<string, CheckResult>,
): HealthStatus {
  const state = view === undefined ? 'idle' : view.state()
  const running = state === 'running' && view?.stopping.aborted === false
  if (checks === undefined) return { ready: running, live: state !== 'stopped', state }
  return {
    ready: running && Object.values(checks).every((check) => check.status === 'ok'),
    live: state !== 'stopped',
    state,
    checks,
  }
}
