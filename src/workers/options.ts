import { DEFAULTS } from '../core/defaults.js'
import { InvalidStateError } from '../core/errors.js'
import { createLog, type Log } from '../core/logger.js'
import type { AttachContext, Logger, StopReason } from '../core/types.js'
import { checkDuration, checkFinite, checkName, fail, readOptions } from '../core/validate.js'
import { readAttachContext } from '../core/validate-component.js'

/**
 * What happens when a loop (or a consumer's source) fails before the stop. In every case the
 * failure is logged and the component's stop hook throws a `WorkerCrashedError`, so the failure is
 * in the `ShutdownReport`; besides that:
 * - `'log'`: nothing more; the rest of the service keeps running.
 * - `'stop'`: the lifecycle it is registered with stops, with reason `{ type: 'error', error }`.
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
  /** `console`, a pino logger, or `false`. @default the logger of the lifecycle it is registered with */
  readonly logger?: Logger | false
}

/** @internal Common options, checked and resolved. */
export interface Resolved {
  readonly where: string
  readonly priority: number | undefined
  readonly timeout: number | undefined
  readonly onCrash: CrashPolicy
  /** The lifecycle's logger once registered, unless the options named one. */
  log: Log
  /** What `onCrash: 'stop'` calls: set while the component is registered. */
  requestStop: ((reason: StopReason) => void) | undefined
  /** `Component.attach` of the worker or consumer. */
  readonly attach: (context: AttachContext) => () => void
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
  const { onCrash = DEFAULTS.workers.onCrash } = options
  if (onCrash !== 'log' && onCrash !== 'stop' && typeof onCrash !== 'function') {
    fail(where, 'onCrash', "`'log'`, `'stop'` or a function", onCrash)
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
  let registration: AttachContext | undefined
  const resolved: Resolved = {
    where,
    priority: options.priority,
    timeout: options.timeout,
    onCrash,
    log: createLog(logger ?? console),
    requestStop: undefined,
    attach: (given) => {
      const context = readAttachContext(where, given)
      // One loop, one runner: a second registration (a copy, another lifecycle) would start a
      // second loop that no stop aborts. Once that lifecycle has stopped, another may take it.
      if (registration !== undefined && registration.state() !== 'stopped') {
        throw new InvalidStateError(
          `Cannot register component \`${context.name}\`: ${where} is already registered with a lifecycle that has not stopped (unregister it first, or create another ${kind})`,
        )
      }
      const mine = context
      registration = mine
      if (logger === undefined) resolved.log = createLog(context.log)
      resolved.requestStop = context.requestStop
      return () => {
        if (registration !== mine) return
        registration = undefined
        resolved.requestStop = undefined
      }
    },
  }
  return resolved
}

/** @internal */
export function checkComponentName(kind: string, name: unknown): asserts name is string {
  checkName(`\`${kind}()\``, 'name', name)
}

/** @internal The options of `worker()` / `consumer()`, each read once into a copy: the one to use. */
export function readComponentOptions<T extends object>(
  where: string,
  options: T,
  keys: readonly string[],
): T {
  return readOptions(where, 'options', options, keys)
}
