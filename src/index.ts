/**
 * graceful-lifecycle: stop a Node.js service the way a well-run Go service does. This entry holds
 * the `Lifecycle`, its priorities, errors and defaults, and every type a hook, a component or a
 * report reader needs; each integration is its own subpath (`graceful-lifecycle/http`, ...).
 *
 * @example
 * ```ts
 * import { Lifecycle, Priority, type StopContext } from 'graceful-lifecycle'
 *
 * const lifecycle = new Lifecycle({ timeout: 25_000 })
 * lifecycle.onStop('pool', ({ signal }: StopContext) => pool.end(), { priority: Priority.RESOURCES })
 * lifecycle.handleSignals()
 * await lifecycle.start()
 * ```
 *
 * @module
 */
export { DEFAULTS } from './core/defaults.js'
export {
  ErrorCode,
  type ErrorCodeValue,
  ForcedStopError,
  HookTimeoutError,
  InvalidArgumentError,
  InvalidStateError,
  LifecycleError,
  NonErrorThrownError,
  ShutdownError,
  SourceCallError,
  StartError,
  StoppingError,
  StopTimeoutError,
  TrackedWorkError,
  WorkerCrashedError,
} from './core/errors.js'
export { Lifecycle } from './core/lifecycle.js'
export type { LifecycleOptions, ResolvedOptions } from './core/options.js'
export { Priority, type PriorityName } from './core/priority.js'
export {
  formatPrometheus,
  reportFromJSON,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from './core/report/index.js'
export type { ExitFunction, HandledSignal, HandleSignalsOptions } from './core/signals/options.js'
export type * from './core/types.js'
