/**
 * graceful-lifecycle: stop a Node.js service the way a well-run Go service does.
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
  StartError,
  StoppingError,
  StopTimeoutError,
} from './core/errors.js'
export { Lifecycle } from './core/lifecycle.js'
export type { LifecycleOptions, ResolvedOptions } from './core/options.js'
export { Priority, type PriorityName, priorityName } from './core/priority.js'
export {
  formatHTML,
  formatPrometheus,
  formatTable,
  formatTimeline,
  formatTrace,
  reportFromJSON,
  serializeError,
  shouldColor,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from './core/report.js'
export { TRACKED_HOOK } from './core/tracker.js'
export type * from './core/types.js'
export {
  type ExitFunction,
  type HandledSignal,
  type HandleSignalsOptions,
  SIGNAL_DEFAULTS,
} from './process/options.js'
