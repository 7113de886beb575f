import { CheckAbandonedError, CheckFalseError, CheckTimeoutError } from '../core/errors.js'
import { errorCode, errorMessage, errorName, isError } from '../core/foreign.js'
import {
  checkDuration,
  checkFunction,
  checkKeys,
  checkName,
  checkPositiveDuration,
  fail,
  readOptions,
} from '../core/validate.js'

const CHECK_KEYS = ['check', 'timeout', 'interval']

/** What a dependency check receives. */
export interface CheckContext {
  /** Aborts when the check's `timeout` expires or a stop begins: pass it to the ping. */
  readonly signal: AbortSignal
}

/**
 * A dependency check: resolves when the dependency answers; throws, rejects or resolves `false`
 * when it does not.
 */
export type CheckFunction = (context: CheckContext) => unknown

/** A dependency check with its own budget and rate. */
export interface CheckDefinition {
  readonly check: CheckFunction
  /** How long one run may take, in ms. @default the `timeout` of `health()`'s options */
  readonly timeout?: number
  /** The check runs at most once per `interval` ms, whatever the probe rate. @default the `interval` of `health()`'s options */
  readonly interval?: number
}

/**
 * Why a check failed, as the readiness body shows it. Its `message` only with
 * `health({ expose: 'message' })`: a driver's message can hold a connection string and its password,
 * and readiness endpoints are often reachable from outside. The message always goes to the log.
 */
export interface CheckError {
  /** The error's `name` (`CheckTimeoutError`, `CheckFalseError`, `NonError` for a value that is not an `Error`). */
  readonly name: string
  /** The error's `code`, when it has one (`ECONNREFUSED`, `57P01`). */
  readonly code?: string | number
  /** Only with `expose: 'message'`. */
  readonly message?: string
}

/** The last outcome of one check, as the readiness body shows it. */
export interface CheckResult {
  /** `pending`: it has not finished a run yet. */
  readonly status: 'ok' | 'error' | 'timeout' | 'pending'
  /** How long its last run took, in ms. */
  readonly durationMs?: number
  /** Epoch ms at which its last run ended. */
  readonly checkedAt?: number
  /** Why it failed: its name and code (and message with `expose: 'message'`). */
  readonly error?: CheckError
}

/** What the readiness body and `status()` say of a failed check: see {@link CheckError}. */
export type ExposeLevel = 'name' | 'message'

/** @internal */
export interface ResolvedCheck {
  readonly name: string
  readonly run: CheckFunction
  readonly timeout: number
  readonly interval: number
}

/** @internal */
export function resolveChecks(
  where: string,
  checks: unknown,
  defaults: { timeout: number; interval: number },
): ResolvedCheck[] {
  return Object.entries(readOptions(where, 'checks', checks, [])).map(([name, value]: [string, unknown]) => {
    checkName(where, 'checks', name)
    const field = `checks.${name}`
    if (typeof value === 'function') {
      return { name, run: value as CheckFunction, ...defaults }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(where, field, 'a function or `{ check, timeout?, interval? }`', value)
    }
    const definition = readOptions(where, field, value, CHECK_KEYS) as CheckDefinition
    checkKeys(where, field, definition, CHECK_KEYS)
    checkFunction(where, `${field}.check`, definition.check)
    if (definition.timeout !== undefined) checkPositiveDuration(where, `${field}.timeout`, definition.timeout)
    if (definition.interval !== undefined) checkDuration(where, `${field}.interval`, definition.interval)
    return {
      name,
      run: definition.check,
      timeout: definition.timeout ?? defaults.timeout,
      interval: definition.interval ?? defaults.interval,
    }
  })
}

/** @internal Told once per change of a check's status (not per probe): where the message is logged. */
export type CheckChange = (name: string, result: CheckResult, message: string | undefined) => void

/** What the body may say of an error: never throws, whatever the check rejected with. */
function describeFailure(error: unknown, expose: ExposeLevel): CheckError {
  const code = errorCode(error)
  return {
    name: errorName(error),
    ...(code === undefined ? {} : { code }),
    ...(expose === 'message' ? { message: errorMessage(error, false) } : {}),
  }
}

/**
 * @internal One check's state: its last result, and the run under way that every probe arriving
 * meanwhile shares. A run starts only when the last one began `interval` ms ago or more.
 */
export class CheckRunner {
  readonly #check: ResolvedCheck
  readonly #expose: ExposeLevel
  readonly #onChange: CheckChange
  #result: CheckResult = { status: 'pending' }
  #lastStart = Number.NEGATIVE_INFINITY
  #running: Promise<CheckResult> | undefined

  constructor(check: ResolvedCheck, expose: ExposeLevel, onChange: CheckChange) {
    this.#check = check
    this.#expose = expose
    this.#onChange = onChange
  }

  get name(): string {
    return this.#check.name
  }

  get result(): CheckResult {
    return this.#result
  }

  /** Runs the check when it is due; resolves with the latest result (never rejects). */
  refresh(stopping: AbortSignal): Promise<CheckResult> {
    if (this.#running) return this.#running
    if (performance.now() - this.#lastStart < this.#check.interval) return Promise.resolve(this.#result)
    this.#lastStart = performance.now()
    this.#running = this.#run(stopping).finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  async #run(stopping: AbortSignal): Promise<CheckResult> {
    const { timeout, run, name } = this.#check
    const controller = new AbortController()
    const started = performance.now()
    let timer: NodeJS.Timeout | undefined
    let onStop = (): void => {}
    const expired = new Promise<never>((_, reject) => {
      // A stop makes the answer moot: do not wait for a check that ignores its signal.
      onStop = () => {
        controller.abort(stopping.reason)
        reject(new CheckAbandonedError(name))
      }
      stopping.addEventListener('abort', onStop, { once: true })
      timer = setTimeout(() => {
        const error = new CheckTimeoutError(name, timeout)
        controller.abort(error)
        reject(error)
      }, timeout)
    })
    let result: CheckResult
    let message: string | undefined
    try {
      const value = await Promise.race([
        Promise.resolve().then(() => run({ signal: controller.signal })),
        expired,
      ])
      if (value === false) throw new CheckFalseError(name)
      result = { status: 'ok' }
    } catch (error) {
      // Whatever was thrown (a null-prototype object, an Error whose getters throw) is read safely.
      message = errorMessage(error, false)
      result = {
        status: isError(error) && error instanceof CheckTimeoutError ? 'timeout' : 'error',
        error: describeFailure(error, this.#expose),
      }
    } finally {
      clearTimeout(timer)
      stopping.removeEventListener('abort', onStop)
    }
    const before = this.#result.status
    this.#result = { ...result, durationMs: Math.round(performance.now() - started), checkedAt: Date.now() }
    if (result.status !== before) this.#onChange(name, this.#result, message)
    return this.#result
  }
}
