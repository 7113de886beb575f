import {
  checkDuration,
  checkFinite,
  checkKeys,
  checkName,
  fail,
  readOptions,
  whileReading,
} from '../core/validate.js'

/** Options every adapter takes. */
export interface AdapterOptions {
  /** The component's name in the lifecycle and its report. Each adapter has its own default. */
  readonly name?: string
  /** When it stops (higher stops earlier). Each adapter has its own default. */
  readonly priority?: number
  /** Its stop budget in ms. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
}

/** @internal */
export interface ResolvedAdapterOptions {
  readonly name: string
  readonly priority: number
  readonly timeout: number | undefined
}

const ADAPTER_KEYS = ['name', 'priority', 'timeout'] as const

/**
 * @internal Checks `options` of an adapter factory at the call; `extra` lists the adapter's own keys
 * (checked by the caller, from `options` here: the options read once, the copy to use).
 */
export function resolveAdapterOptions<O extends object>(
  fn: string,
  options: O | undefined,
  defaults: { name: string; priority: number },
  extra: readonly string[] = [],
): ResolvedAdapterOptions & { readonly options: O | undefined } {
  if (options === undefined) return { ...defaults, timeout: undefined, options }
  const where = `\`${fn}\``
  const keys = [...ADAPTER_KEYS, ...extra]
  const o = readOptions(where, 'options', options, keys) as O & Record<string, unknown>
  checkKeys(where, 'options', o, keys)
  if (o.name !== undefined) checkName(where, 'options.name', o.name)
  if (o.priority !== undefined) checkFinite(where, 'options.priority', o.priority)
  if (o.timeout !== undefined) checkDuration(where, 'options.timeout', o.timeout)
  return {
    name: (o.name as string | undefined) ?? defaults.name,
    priority: (o.priority as number | undefined) ?? defaults.priority,
    timeout: o.timeout as number | undefined,
    options: o,
  }
}

/** @internal The parts of a component an adapter builds, `timeout` only when set. */
export function componentBase(options: ResolvedAdapterOptions): {
  name: string
  priority: number
  timeout?: number
} {
  return {
    name: options.name,
    priority: options.priority,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  }
}

/** @internal Refuses a client that lacks the methods (or properties) the adapter calls. */
export function checkShape(
  fn: string,
  field: string,
  what: string,
  value: unknown,
  methods: readonly string[],
  properties: readonly string[] = [],
): void {
  const ok = whileReading(
    `\`${fn}\``,
    field,
    () =>
      value !== null &&
      (typeof value === 'object' || typeof value === 'function') &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function') &&
      properties.every((property) => property in (value as object)),
  )
  if (!ok) {
    const needs = [...methods.map((m) => `\`${m}()\``), ...properties.map((p) => `\`${p}\``)].join(', ')
    fail(`\`${fn}\``, field, `${what} (an object with ${needs})`, value)
  }
}

/**
 * @internal The one way an adapter races its client's graceful close against the hook's signal.
 * Starts `work` (always, even on a signal that has already aborted: a close under way is better
 * than none), and resolves `true` when it settles first (rejects when it fails first) or `false`
 * when `signal` aborts first. `onAbort` runs synchronously at the abort, so the force-close it does
 * (and the `details` it sets) land before the report is taken. A failure of `work` after the abort
 * is ignored: the hook has already been given up on. Nothing is left listening once it resolves.
 */
export async function raceAbort(
  signal: AbortSignal,
  work: () => unknown,
  onAbort?: () => void,
): Promise<boolean> {
  let done: Promise<boolean>
  try {
    done = Promise.resolve(work()).then(() => true)
  } catch (error) {
    done = Promise.reject(error)
  }
  done.catch(() => {})
  let listener = (): void => {}
  const aborted = new Promise<boolean>((resolve) => {
    listener = () => {
      onAbort?.()
      resolve(false)
    }
  })
  if (signal.aborted) listener()
  else signal.addEventListener('abort', listener, { once: true })
  try {
    return await Promise.race([done, aborted])
  } finally {
    signal.removeEventListener('abort', listener)
  }
}

/**
 * @internal Polls `done()` every `interval` ms until it is true (resolves `true`) or `signal` aborts
 * (resolves `false`).
 */
export function waitUntil(done: () => boolean, signal: AbortSignal, interval: number): Promise<boolean> {
  if (done()) return Promise.resolve(true)
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const finish = (value: boolean): void => {
      clearInterval(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(value)
    }
    const onAbort = (): void => finish(false)
    const timer = setInterval(() => {
      if (done()) finish(true)
    }, interval)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** @internal Milliseconds, rounded to 0.1. */
export function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10
}

/**
 * @internal An adapter's `attach`: runs `add` (the client's `on()` calls) and returns `remove`. When
 * an `on()` throws part-way, `remove` undoes the ones before it (removing a listener never added is
 * a no-op) and the error refuses the registration: a refused registration leaves no listener behind.
 */
export function listenOrUndo(add: () => void, remove: () => void): () => void {
  try {
    add()
  } catch (error) {
    remove()
    throw error
  }
  return remove
}
