import { DEFAULTS } from './defaults.js'
import type { Logger } from './types.js'
import { checkBoolean, checkDuration, checkFunction, checkKeys, fail, readOptions } from './validate.js'

/** Options of `new Lifecycle()`. */
export interface LifecycleOptions {
  /** Budget of a whole `stop()`, in ms. @default DEFAULTS.timeout (25000) */
  readonly timeout?: number
  /** Budget of one stop hook, in ms, when its component sets none. @default DEFAULTS.hookTimeout (10000) */
  readonly hookTimeout?: number
  /** Budget of one start hook, in ms, when its component sets none. @default DEFAULTS.startTimeout (15000) */
  readonly startTimeout?: number
  /** What each hook still to run gets once the whole stop's deadline has passed, in ms. @default DEFAULTS.finalGrace (1000) */
  readonly finalGrace?: number
  /**
   * The time the platform gives between its stop request and its kill, in ms (Kubernetes'
   * `terminationGracePeriodSeconds` × 1000). Budgets that cannot fit in it are reported (logged
   * and emitted as `warning`) when they are configured.
   */
  readonly gracePeriod?: number
  /** Run each phase's hooks one at a time (last registered first) instead of together. @default false */
  readonly sequential?: boolean
  /** `console`, a pino logger, or `false` for silence. @default console */
  readonly logger?: Logger | false
  /** A monotonic clock in ms, for tests. @default performance.now */
  readonly now?: () => number
}

/** The options of a `Lifecycle` with every default filled in (what `lifecycle.options` shows, without `now`). */
export interface ResolvedOptions {
  readonly timeout: number
  readonly hookTimeout: number
  readonly startTimeout: number
  readonly finalGrace: number
  readonly gracePeriod: number | undefined
  readonly sequential: boolean
  readonly logger: Logger | false
  readonly now: () => number
}

const KEYS = [
  'timeout',
  'hookTimeout',
  'startTimeout',
  'finalGrace',
  'gracePeriod',
  'sequential',
  'logger',
  'now',
]
const WHERE = '`new Lifecycle()`'

/** @internal */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {}
  const o = readOptions(WHERE, 'options', options, KEYS) as LifecycleOptions
  checkKeys(WHERE, 'options', o, KEYS)
  const durations = ['timeout', 'hookTimeout', 'startTimeout', 'finalGrace', 'gracePeriod'] as const
  for (const key of durations) if (o[key] !== undefined) checkDuration(WHERE, key, o[key])
  if (o.sequential !== undefined) checkBoolean(WHERE, 'sequential', o.sequential)
  if (o.now !== undefined) checkFunction(WHERE, 'now', o.now)
  if (o.logger !== undefined && o.logger !== false) {
    const logger = o.logger as unknown
    if (
      logger === null ||
      typeof logger !== 'object' ||
      !['info', 'warn', 'error'].every(
        (method) => typeof (logger as Record<string, unknown>)[method] === 'function',
      )
    ) {
      fail(WHERE, 'logger', '`false` or an object with info, warn and error methods (console, pino)', logger)
    }
  }
  return {
    timeout: o.timeout ?? DEFAULTS.timeout,
    hookTimeout: o.hookTimeout ?? DEFAULTS.hookTimeout,
    startTimeout: o.startTimeout ?? DEFAULTS.startTimeout,
    finalGrace: o.finalGrace ?? DEFAULTS.finalGrace,
    gracePeriod: o.gracePeriod,
    sequential: o.sequential ?? false,
    logger: o.logger ?? console,
    now: o.now ?? performance.now.bind(performance),
  }
}
