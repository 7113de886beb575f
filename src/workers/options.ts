import { createLog, type Log } from '../core/logger.js'
import type { Logger, StopReason } from '../core/types.js'
import { checkDuration, checkFinite, checkFunction, checkName, checkObject, fail } from '../core/validate.js'
import { WORKER_DEFAULTS } from './defaults.js'

/** What a worker needs from its `Lifecycle` (a `Lifecycle` fits): a way to stop it, and its logger. */
export interface WorkerLifecycleLike {
  stop(reason?: StopReason): Promise<unknown>
  readonly options?: { readonly logger: Logger | false }
}

/**
 * What happens when a loop (or a consumer's source) fails before the stop. In every case the
 * failure is logged and the component's stop hook throws a `WorkerCrashedError`, so the failure is
 * in the `ShutdownReport`; besides that:
 * - `'log'`: nothing more; the rest of the service keeps running.
 * - `'stop'`: `lifecycle.stop({ type: 'error', error })` (requires the `lifecycle` option).
 * - a function: called with the `WorkerCrashedError` and the component's name.
 */
export type CrashPolicy = 'log' | 'stop' | ((error: Error, name: string) => void)

/** Options that every component of `graceful-lifecycle/workers` takes. */
export interface CommonOptions {
  /** Stop tier. @default Priority.WORKERS */
  readonly priority?: number
  /** Stop budget in ms. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** See {@link CrashPolicy}. @default 'log' */
  readonly onCrash?: CrashPolicy
  /** Needed by `onCrash: 'stop'`; also lends its logger. */
  readonly lifecycle?: WorkerLifecycleLike
  /** `console`, a pino logger, or `false`. @default the lifecycle's logger, else `console` */
  readonly logger?: Logger | false
}

/** @internal Common options, checked and resolved. */
export interface Resolved {
  readonly where: string
  readonly priority: number | undefined
  readonly timeout: number | undefined
  readonly onCrash: CrashPolicy
  readonly lifecycle: WorkerLifecycleLike | undefined
  readonly log: Log
}

/** @internal */
export function resolveCommon(
  kind: string,
  name: unknown,
  options: CommonOptions & Record<string, unknown>,
): Resolved {
  const where = `${kind} \`${String(name)}\``
  if (options.priority !== undefined) checkFinite(where, 'priority', options.priority)
  if (options.timeout !== undefined) checkDuration(where, 'timeout', options.timeout)
  const { onCrash = WORKER_DEFAULTS.onCrash, lifecycle } = options
  if (onCrash !== 'log' && onCrash !== 'stop' && typeof onCrash !== 'function') {
    fail(where, 'onCrash', "`'log'`, `'stop'` or a function", onCrash)
  }
  if (lifecycle !== undefined) {
    checkObject(where, 'lifecycle', lifecycle)
    checkFunction(where, 'lifecycle.stop', (lifecycle as { stop?: unknown }).stop)
  }
  if (onCrash === 'stop' && lifecycle === undefined) {
    fail(where, 'lifecycle', "a Lifecycle when `onCrash` is `'stop'`", lifecycle)
  }
  const logger = options.logger
  if (logger !== undefined && logger !== false) {
    const ok =
      logger !== null &&
      typeof logger === 'object' &&
      ['info', 'warn', 'error'].every(
        (m) => typeof (logger as unknown as Record<string, unknown>)[m] === 'function',
      )
    if (!ok)
      fail(where, 'logger', '`false` or an object with info, warn and error methods (console, pino)', logger)
  }
  return {
    where,
    priority: options.priority,
    timeout: options.timeout,
    onCrash,
    lifecycle,
    log: createLog(logger ?? lifecycle?.options?.logger ?? console),
  }
}

/** @internal */
export function checkComponentName(kind: string, name: unknown): asserts name is string {
  checkName(`\`${kind}()\``, 'name', name)
}

/** @internal */
export function checkOptionsObject(
  where: string,
  options: unknown,
): asserts options is Record<string, unknown> {
  checkObject(where, 'options', options)
}
