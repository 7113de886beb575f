/**
 * graceful-lifecycle: stop a Node.js service the way a well-run Go service does.
 *
 * @module
 */
export { DEFAULTS } from './defaults.js'
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
} from './errors.js'
export { Lifecycle } from './lifecycle.js'
export type { LifecycleOptions, ResolvedOptions } from './options.js'
export { Priority, type PriorityName, priorityName } from './priority.js'
export {
  type ExitFunction,
  type HandledSignal,
  type HandleSignalsOptions,
  SIGNAL_DEFAULTS,
} from './process/options.js'
export { formatTable, formatTimeline, serializeError } from './report.js'
export { TRACKED_HOOK } from './tracker.js'
export type * from './types.js'
