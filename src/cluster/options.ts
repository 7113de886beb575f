import { availableParallelism } from 'node:os'
import { DEFAULTS } from '../core/defaults.js'
import { Priority } from '../core/priority.js'
import { checkSignal, type HandledSignal } from '../core/signals/options.js'
import {
  checkBoolean,
  checkDuration,
  checkFinite,
  checkKeys,
  checkName,
  checkPositiveDuration,
  fail,
  readOptions,
} from '../core/validate.js'

/** Options of {@link clusterPrimary}. */
export interface ClusterPrimaryOptions {
  /** How many workers. @default os.availableParallelism() */
  readonly workers?: number
  /** @default DEFAULTS.cluster.name ('cluster') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** Budget of the stop of every worker, in ms. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** How long a new worker may take to be ready, in ms. @default DEFAULTS.cluster.readyTimeout (30000) */
  readonly readyTimeout?: number
  /**
   * The signal that restarts the workers one at a time, or `false`. One of the signals
   * `handleSignals({ signals })` accepts. From registration on, this signal never ends the primary:
   * before the workers are ready and during the stop it is logged and ignored.
   * @default 'SIGHUP'
   */
  readonly reloadOn?: HandledSignal | false
  /**
   * How long each old worker may take to stop during a reload, in ms; one that outlives it is
   * killed (SIGKILL) and the reload goes on, reporting it in `timedOut`.
   * @default DEFAULTS.cluster.reloadTimeout (30000)
   */
  readonly reloadTimeout?: number
  /** A worker is ready once its server listens too (not only its lifecycle started). @default true */
  readonly listening?: boolean
  /** Replace a worker that exits on its own while the primary runs. @default true */
  readonly respawn?: boolean
  /** Environment added to each worker's (`cluster.fork(env)`). */
  readonly env?: Readonly<Record<string, string>>
  /** Where the primary says what it does (a reload, a replaced worker). @default console */
  readonly logger?: Pick<Console, 'info' | 'warn'> | false
}

/** @internal */
export interface Resolved {
  readonly count: number
  readonly name: string
  readonly priority: number
  readonly timeout: number | undefined
  readonly readyTimeout: number
  readonly reloadOn: HandledSignal | false
  readonly reloadTimeout: number
  readonly listening: boolean
  readonly respawn: boolean
  readonly env: Readonly<Record<string, string>> | undefined
  readonly logger: Pick<Console, 'info' | 'warn'> | false
}

const WHERE = '`clusterPrimary()`'

function checkPositiveMs(field: string, value: unknown): void {
  checkPositiveDuration(WHERE, field, value)
}

/** @internal */
export function resolve(options: ClusterPrimaryOptions | undefined): Resolved {
  const keys = [
    'workers',
    'name',
    'priority',
    'timeout',
    'readyTimeout',
    'reloadOn',
    'reloadTimeout',
    'listening',
    'respawn',
    'env',
    'logger',
  ]
  const o = readOptions(WHERE, 'options', options ?? {}, keys) as ClusterPrimaryOptions
  checkKeys(WHERE, 'options', o, keys)
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 1_024)) {
    fail(WHERE, 'workers', 'an integer from 1 to 1024', o.workers)
  }
  if (o.name !== undefined) checkName(WHERE, 'name', o.name)
  if (o.priority !== undefined) checkFinite(WHERE, 'priority', o.priority)
  if (o.timeout !== undefined) checkDuration(WHERE, 'timeout', o.timeout)
  if (o.readyTimeout !== undefined) checkDuration(WHERE, 'readyTimeout', o.readyTimeout)
  if (o.reloadOn !== undefined && o.reloadOn !== false)
    checkSignal(WHERE, '`reloadOn`', o.reloadOn, ', or `false`')
  if (o.reloadTimeout !== undefined) checkPositiveMs('reloadTimeout', o.reloadTimeout)
  if (o.listening !== undefined) checkBoolean(WHERE, 'listening', o.listening)
  if (o.respawn !== undefined) checkBoolean(WHERE, 'respawn', o.respawn)
  // Read once into a copy, as the options are: what is checked here is what `cluster.fork()` gets.
  const env = o.env === undefined ? undefined : readOptions(WHERE, 'env', o.env, [])
  if (env !== undefined) {
    // `cluster.fork(env)` would turn `undefined` into "undefined", and an object into "[object Object]".
    for (const [key, value] of Object.entries(env)) {
      if (typeof value !== 'string') fail(WHERE, `env.${key}`, 'a string', value)
    }
  }
  if (o.logger !== undefined && o.logger !== false) {
    const logger = o.logger as unknown as Record<string, unknown>
    if (
      typeof logger !== 'object' ||
      typeof logger.info !== 'function' ||
      typeof logger.warn !== 'function'
    ) {
      fail(WHERE, 'logger', '`false` or an object with info and warn methods', o.logger)
    }
  }
  return {
    count: o.workers ?? availableParallelism(),
    name: o.name ?? DEFAULTS.cluster.name,
    priority: o.priority ?? Priority.INGRESS,
    timeout: o.timeout,
    readyTimeout: o.readyTimeout ?? DEFAULTS.cluster.readyTimeout,
    reloadOn: o.reloadOn ?? DEFAULTS.cluster.reloadOn,
    reloadTimeout: o.reloadTimeout ?? DEFAULTS.cluster.reloadTimeout,
    listening: o.listening ?? true,
    respawn: o.respawn ?? true,
    env,
    logger: o.logger ?? console,
  }
}
