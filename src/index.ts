/**
 * graceful-lifecycle: stop a Node.js service the way a well-run Go service does. This entry is the
 * core: the `Lifecycle`, its priorities, errors and defaults, and every type a hook, a component or a
 * report reader needs. Each integration is its own subpath (`graceful-lifecycle/http`, ...), and so
 * are the report tools (`graceful-lifecycle/report`).
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
  CheckAbandonedError,
  CheckFalseError,
  CheckTimeoutError,
  ClusterWorkerError,
  ErrorCode,
  ForcedStopError,
  HookTimeoutError,
  InvalidArgumentError,
  InvalidStateError,
  LifecycleError,
  MissingPeerError,
  NonErrorThrownError,
  ShutdownError,
  SourceCallError,
  StartError,
  StoppingError,
  StopTimeoutError,
  TestSetupError,
  TrackedWorkError,
  WorkerCrashedError,
} from './core/errors.js'
export { Lifecycle } from './core/lifecycle.js'
export type { LifecycleOptions } from './core/options.js'
export { Priority, type PriorityName } from './core/priority.js'
export type { ExitFunction, HandledSignal, HandleSignalsOptions } from './core/signals/options.js'
// The report tools' types (`TimelineOptions`, `TraceEvent`, `TraceFile`) are `/report`'s.
export type {
  AttachContext,
  BudgetContext,
  Component,
  Detach,
  HookOptions,
  HookReport,
  HookStartEvent,
  HookStatus,
  LifecycleEvents,
  LifecycleState,
  Logger,
  PhaseReport,
  PhaseStartEvent,
  RunKind,
  ShutdownReport,
  ShutdownReportJSON,
  StartContext,
  StartHook,
  StopContext,
  StopHook,
  StopReason,
} from './core/types.js'
