import { TimeoutError } from 'p-timeout'
import { errorMessage } from './foreign.js'
import type { ShutdownReport, StopReason } from './types.js'

/**
 * Stable error codes: match on `error.code`, never on a message.
 *
 * @example
 * ```ts
 * if (error.code === ErrorCode.HOOK_TIMEOUT) retryLater()
 * ```
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 'GL_ERR_INVALID_ARGUMENT',
  INVALID_STATE: 'GL_ERR_INVALID_STATE',
  HOOK_TIMEOUT: 'GL_ERR_HOOK_TIMEOUT',
  STOP_TIMEOUT: 'GL_ERR_STOP_TIMEOUT',
  FORCED: 'GL_ERR_FORCED',
  STOPPING: 'GL_ERR_STOPPING',
  SHUTDOWN: 'GL_ERR_SHUTDOWN',
  START: 'GL_ERR_START',
  NOT_AN_ERROR: 'GL_ERR_NOT_AN_ERROR',
  TRACKED_FAILED: 'GL_ERR_TRACKED_FAILED',
  WORKER_CRASHED: 'GL_ERR_WORKER_CRASHED',
  SOURCE_FAILED: 'GL_ERR_SOURCE_FAILED',
  CHECK_TIMEOUT: 'GL_ERR_CHECK_TIMEOUT',
  CLUSTER_WORKER: 'GL_ERR_CLUSTER_WORKER',
  MISSING_PEER: 'GL_ERR_MISSING_PEER',
  TEST_SETUP: 'GL_ERR_TEST_SETUP',
  CHECK_FALSE: 'GL_ERR_CHECK_FALSE',
  CHECK_ABANDONED: 'GL_ERR_CHECK_ABANDONED',
} as const

/**
 * Base class of the package's own errors, except those that extend `TypeError` (bad input),
 * p-timeout's `TimeoutError` or `AggregateError`; every one of them has a `code` from {@link ErrorCode}.
 *
 * @example
 * ```ts
 * if (error instanceof LifecycleError) console.error(error.code, error.message)
 * ```
 */
export class LifecycleError extends Error {
  override name = 'LifecycleError'
  /** One of the values of {@link ErrorCode}. */
  readonly code: (typeof ErrorCode)[keyof typeof ErrorCode]
  constructor(code: LifecycleError['code'], message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/**
 * Bad input to a public function: thrown at the call, naming the component and the field.
 *
 * @example
 * ```ts
 * try { lifecycle.register({ name: '' }) } catch (error) { if (error instanceof InvalidArgumentError) throw error }
 * ```
 */
export class InvalidArgumentError extends TypeError {
  override name = 'InvalidArgumentError'
  readonly code = ErrorCode.INVALID_ARGUMENT
}

/**
 * A call that the current state does not allow (`register()` or `start()` after `stop()`, a
 * `clusterPrimary()` in a worker process). The arguments were fine: this is not a `TypeError`.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidStateError) console.warn('the lifecycle has already stopped')
 * ```
 */
export class InvalidStateError extends LifecycleError {
  override name = 'InvalidStateError'
  declare readonly code: typeof ErrorCode.INVALID_STATE
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.INVALID_STATE, message, options)
  }
}

/**
 * A hook outlived its own budget. Its signal was aborted with this error as the reason. When the
 * hook settled after its budget before its timer could fire (a blocked event loop), `ranMs` says how
 * long it ran and `cause` holds what it threw, if anything.
 *
 * @example
 * ```ts
 * const late = report.phases.flatMap((p) => p.hooks).filter((h) => h.error instanceof HookTimeoutError)
 * ```
 */
export class HookTimeoutError extends TimeoutError {
  // p-timeout types `name` as the literal 'TimeoutError'; ours says which timeout it was.
  override readonly name = 'HookTimeoutError' as 'TimeoutError'
  readonly code = ErrorCode.HOOK_TIMEOUT
  constructor(
    readonly hook: string,
    readonly timeout: number,
    readonly phase: 'start' | 'stop',
    readonly ranMs?: number,
    cause?: unknown,
  ) {
    super(
      ranMs === undefined
        ? `The ${phase} hook of \`${hook}\` did not settle within its ${timeout} ms budget`
        : `The ${phase} hook of \`${hook}\` ran ${Math.round(ranMs)} ms against its ${timeout} ms budget ` +
            `(${Math.round(ranMs - timeout)} ms over; the event loop was blocked, so its timer could not fire)`,
    )
    if (cause !== undefined) this.cause = cause
  }
}

/**
 * The whole stop outlived its budget; names every hook that was still running.
 *
 * @example
 * ```ts
 * if (signal.reason instanceof StopTimeoutError) console.error('still running:', signal.reason.hooks)
 * ```
 */
export class StopTimeoutError extends TimeoutError {
  override readonly name = 'StopTimeoutError' as 'TimeoutError'
  readonly code = ErrorCode.STOP_TIMEOUT
  constructor(
    readonly hooks: readonly string[],
    readonly timeout: number,
    cause?: unknown,
  ) {
    super(`The stop outlived its ${timeout} ms budget while ${describeHooks(hooks)} still running`)
    if (cause !== undefined) this.cause = cause
  }
}

/**
 * The stop was forced (a second signal): names every hook that was still running.
 *
 * @example
 * ```ts
 * if (signal.reason instanceof ForcedStopError) return // cut the work short: the process is exiting
 * ```
 */
export class ForcedStopError extends LifecycleError {
  override name = 'ForcedStopError'
  constructor(readonly hooks: readonly string[]) {
    super(ErrorCode.FORCED, `The stop was forced while ${describeHooks(hooks)} still running`)
  }
}

/**
 * The reason of `lifecycle.signal`: the lifecycle began to stop.
 *
 * @example
 * ```ts
 * lifecycle.signal.addEventListener('abort', () => console.log((lifecycle.signal.reason as StoppingError).reason))
 * ```
 */
export class StoppingError extends LifecycleError {
  override name = 'StoppingError'
  constructor(readonly reason: StopReason) {
    super(ErrorCode.STOPPING, `The lifecycle is stopping (${describeReason(reason)})`)
  }
}

/**
 * What a hook threw when it threw something that is not an `Error`; the value is in `cause`.
 *
 * @example
 * ```ts
 * if (hook.error instanceof NonErrorThrownError) console.error('thrown:', hook.error.cause)
 * ```
 */
export class NonErrorThrownError extends LifecycleError {
  override name = 'NonErrorThrownError'
  constructor(hook: string, value: unknown) {
    super(ErrorCode.NOT_AN_ERROR, `\`${hook}\` threw a non-Error value: ${errorMessage(value)}`, {
      cause: value,
    })
  }
}

/**
 * `stop()` rejects with this when any hook did not end `ok`; `.report` has every hook's status.
 *
 * @example
 * ```ts
 * await lifecycle.stop().catch((error) => { if (error instanceof ShutdownError) console.error(String(error.report)) })
 * ```
 */
export class ShutdownError extends AggregateError {
  override name = 'ShutdownError'
  readonly code = ErrorCode.SHUTDOWN
  constructor(readonly report: ShutdownReport) {
    const failed = report.phases.flatMap((phase) => phase.hooks).filter((hook) => hook.status !== 'ok')
    super(
      // A `skipped` hook failed to run but threw nothing: `.errors` holds only what was thrown.
      failed.filter((hook) => hook.status !== 'skipped').map((hook) => hook.error),
      `Shutdown did not end cleanly: ${listHooks(failed.map((hook) => `\`${hook.name}\` (${hook.status})`))}`,
    )
  }
}

/**
 * `start()` rejects with this; the components that had started were stopped, see `.report`.
 *
 * @example
 * ```ts
 * await lifecycle.start().catch((error) => { if (error instanceof StartError) console.error(error.hooks) })
 * ```
 */
export class StartError extends AggregateError {
  override name = 'StartError'
  readonly code = ErrorCode.START
  constructor(
    readonly hooks: readonly string[],
    errors: readonly unknown[],
    readonly report: ShutdownReport | undefined,
    message: string,
  ) {
    super(errors, message, { cause: errors[0] })
  }
}

/**
 * What the `WORKERS` phase's `lifecycle.track` hook throws when tracked work failed; `.errors` holds
 * each failure.
 *
 * @example
 * ```ts
 * if (hook.error instanceof TrackedWorkError) console.error(`${hook.error.errors.length} of ${hook.error.awaited} failed`)
 * ```
 */
export class TrackedWorkError extends AggregateError {
  override name = 'TrackedWorkError'
  readonly code = ErrorCode.TRACKED_FAILED
  constructor(
    errors: readonly unknown[],
    /** How many tracked tasks the stop waited for. */
    readonly awaited: number,
  ) {
    super(errors, `${errors.length} of ${awaited} tracked tasks failed`)
  }
}

/**
 * A worker's loop (or a consumer's source) failed. Thrown by the component's stop hook, so it is in
 * the `ShutdownReport`; the original error is `cause`.
 *
 * @example
 * ```ts
 * if (hook.error instanceof WorkerCrashedError) console.error(hook.error.worker, hook.error.cause)
 * ```
 */
export class WorkerCrashedError extends LifecycleError {
  override name = 'WorkerCrashedError'
  declare readonly code: typeof ErrorCode.WORKER_CRASHED
  constructor(
    /** The component's name. */
    readonly worker: string,
    cause: unknown,
    /** `true` when it failed after its signal had aborted (while stopping), `false` when it crashed before. */
    readonly whileStopping: boolean,
  ) {
    const detail = errorMessage(cause, false)
    super(
      ErrorCode.WORKER_CRASHED,
      whileStopping
        ? `Worker \`${worker}\` failed while stopping: ${detail}`
        : `Worker \`${worker}\` crashed before the stop: ${detail}`,
      { cause },
    )
  }
}

/**
 * A consumer's calls to its source (`ack`, `nack`, `requeue`, `unsubscribe`, ...) failed: thrown by its
 * stop hook once it has drained; `.errors` holds each failure.
 *
 * @example
 * ```ts
 * if (hook.error instanceof SourceCallError) console.error(hook.error.consumer, hook.error.errors)
 * ```
 */
export class SourceCallError extends AggregateError {
  override name = 'SourceCallError'
  readonly code = ErrorCode.SOURCE_FAILED
  constructor(
    errors: readonly unknown[],
    /** The consumer's name. */
    readonly consumer: string,
  ) {
    super(errors, `${errors.length} call(s) from consumer \`${consumer}\` to its source failed`)
  }
}

/**
 * A health check (`health({ checks })`) did not answer within its `timeout`: the reason of the
 * check's `signal`, and its status `timeout`.
 *
 * @example
 * ```ts
 * const rows = await db.query(sql, { signal }).catch((error) => { if (signal.reason instanceof CheckTimeoutError) return []; throw error })
 * ```
 */
export class CheckTimeoutError extends TimeoutError {
  override readonly name = 'CheckTimeoutError' as 'TimeoutError'
  readonly code = ErrorCode.CHECK_TIMEOUT
  constructor(
    /** The check's name. */
    readonly check: string,
    readonly timeout: number,
  ) {
    super(`check \`${check}\` did not answer within ${timeout} ms`)
  }
}

/**
 * `clusterPrimary()`: a worker did not become ready (it exited first, or outlived `readyTimeout`),
 * or workers did not stop cleanly; `workers` holds their `cluster` ids.
 *
 * @example
 * ```ts
 * const { ok, error } = await primary.reload()
 * if (!ok && error instanceof ClusterWorkerError) console.error('not ready:', error.workers)
 * ```
 */
export class ClusterWorkerError extends LifecycleError {
  override name = 'ClusterWorkerError'
  declare readonly code: typeof ErrorCode.CLUSTER_WORKER
  constructor(
    readonly workers: readonly number[],
    message: string,
  ) {
    super(ErrorCode.CLUSTER_WORKER, message)
  }
}

/**
 * An optional peer dependency that a feature needs is not installed (`instrumentLifecycle()`
 * without `@opentelemetry/api`); the message says what to install, `cause` holds the loader's error.
 *
 * @example
 * ```ts
 * try { instrumentLifecycle(lifecycle) } catch (error) { if (error instanceof MissingPeerError) console.warn(error.message) }
 * ```
 */
export class MissingPeerError extends LifecycleError {
  override name = 'MissingPeerError'
  declare readonly code: typeof ErrorCode.MISSING_PEER
  constructor(
    /** The package to install. */
    readonly peer: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(ErrorCode.MISSING_PEER, message, options)
  }
}

/**
 * `graceful-lifecycle/testing` could not set up the service it tests: the command exited before it
 * listened, or did not listen in time; `freePort()` got no port.
 *
 * @example
 * ```ts
 * await testShutdown({ command }).catch((error) => { if (error instanceof TestSetupError) console.error(error.message) })
 * ```
 */
export class TestSetupError extends LifecycleError {
  override name = 'TestSetupError'
  declare readonly code: typeof ErrorCode.TEST_SETUP
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.TEST_SETUP, message, options)
  }
}

/**
 * A `health({ checks })` check that resolved `false`: what its result's `error` names.
 *
 * @example
 * ```ts
 * if (status.checks?.db?.error?.name === 'CheckFalseError') console.warn('db answered false')
 * ```
 */
export class CheckFalseError extends LifecycleError {
  override name = 'CheckFalseError'
  declare readonly code: typeof ErrorCode.CHECK_FALSE
  constructor(
    /** The check's name. */
    readonly check: string,
  ) {
    super(ErrorCode.CHECK_FALSE, `check \`${check}\` answered false`)
  }
}

/**
 * A `health({ checks })` check still running when a stop began: abandoned, whatever it does with
 * its signal (the answer no longer matters).
 *
 * @example
 * ```ts
 * if (status.checks?.db?.error?.name === 'CheckAbandonedError') console.info('stopping')
 * ```
 */
export class CheckAbandonedError extends LifecycleError {
  override name = 'CheckAbandonedError'
  declare readonly code: typeof ErrorCode.CHECK_ABANDONED
  constructor(
    /** The check's name. */
    readonly check: string,
  ) {
    super(ErrorCode.CHECK_ABANDONED, `check \`${check}\` abandoned: the lifecycle is stopping`)
  }
}

/** At most ten, then a count: a message must stay readable with ten thousand hooks. */
function listHooks(items: readonly string[]): string {
  const more = items.length > 10 ? ` and ${items.length - 10} more` : ''
  return `${items.slice(0, 10).join(', ')}${more}`
}

function describeHooks(hooks: readonly string[]): string {
  if (hooks.length === 0) return 'no hook was'
  const shown = hooks.slice(0, 10).map((hook) => `\`${hook}\``)
  const more = hooks.length > 10 ? ` and ${hooks.length - 10} more` : ''
  return `${shown.join(', ')}${more} ${hooks.length === 1 ? 'was' : 'were'}`
}

/** A short human description of a stop reason. */
export function describeReason(reason: StopReason): string {
  switch (reason.type) {
    case 'signal':
      return `signal ${reason.signal}`
    case 'error':
      return `error: ${errorMessage(reason.error)}`
    default:
      return reason.type
  }
}
