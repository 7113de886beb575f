import type { Log } from '../logger.js'
import type { LifecycleState, Logger, ShutdownReport, StopReason } from '../types.js'

/**
 * @internal What `handleSignals()` needs of a lifecycle, and all it may touch: the `Lifecycle`
 * implements it, and neither module imports the other.
 */
export interface SignalTarget {
  readonly state: LifecycleState
  readonly running: readonly string[]
  readonly options: { readonly logger: Logger | false }
  start(): Promise<void>
  stop(reason?: StopReason): Promise<ShutdownReport>
  forceStop(reason?: StopReason): Promise<ShutdownReport>
  on(event: 'stopping', listener: () => void): unknown
  off(event: 'stopping', listener: () => void): unknown
}

/** @internal What the lifecycle lends its signal handler: its clock and its log. */
export interface SignalServices {
  readonly now: () => number
  readonly log: Log
}
