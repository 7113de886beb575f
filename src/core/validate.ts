import { InvalidArgumentError, LifecycleError } from './errors.js'
import { errorMessage } from './foreign.js'

/** Where a bad value came from: `component \`db\``, `new Lifecycle()`. */
export type Where = string

function show(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : String(value)
    if (typeof value === 'string') text = JSON.stringify(value)
    else if (value !== null && typeof value === 'object') text = JSON.stringify(value) ?? text
  } catch {
    try {
      text = Object.prototype.toString.call(value)
    } catch {
      // A Proxy whose every trap throws: even its tag cannot be read.
      text = typeof value === 'function' ? '[function]' : '[object]'
    }
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`
  return `\`${text}\` (${value === null ? 'null' : typeof value})`
}

/** @internal */
export function fail(where: Where, field: string, expected: string, value: unknown): never {
  throw new InvalidArgumentError(`Expected \`${field}\` of ${where} to be ${expected}, got ${show(value)}`)
}

/**
 * `Array.isArray(value)`, except that a revoked Proxy (on which it throws) is refused with a code
 * and a sentence, as any other value that cannot be read.
 */
function isArray(where: Where, field: string, value: object): boolean {
  try {
    return Array.isArray(value)
  } catch (error) {
    return unreadable(where, field, error)
  }
}

/**
 * @internal An object whose own fields read without throwing: a getter or a Proxy trap that
 * throws is refused here, with a code, rather than escaping from whatever reads it next.
 */
export function checkObject(where: Where, field: string, value: unknown): asserts value is object {
  if (value === null || typeof value !== 'object' || isArray(where, field, value))
    fail(where, field, 'an object', value)
  let keys: string[]
  try {
    keys = Object.keys(value)
  } catch (error) {
    throw new InvalidArgumentError(
      `Expected \`${field}\` of ${where} to be readable, got one whose list of keys threw: ${errorMessage(error)}`,
      { cause: error },
    )
  }
  readEach(where, field, value, keys)
}

/**
 * @internal An options object read once: refused as `checkObject` refuses it, then each of its own
 * keys and each key of `known` (a class's getters) read exactly once into a plain copy, which the
 * checks (`checkKeys` refuses the unknown ones) and the caller then use. A getter cannot answer a
 * check with one value and the code that uses it with another, nor be read again at the stop.
 */
export function readOptions<T extends object>(
  where: Where,
  field: string,
  value: T,
  known: readonly string[],
): T
export function readOptions(where: Where, field: string, value: unknown, known: readonly string[]): object
export function readOptions(where: Where, field: string, value: unknown, known: readonly string[]): object {
  if (value === null || typeof value !== 'object' || isArray(where, field, value))
    fail(where, field, 'an object', value)
  const copy: Record<string, unknown> = {}
  let key: string | undefined
  try {
    const keys = Object.keys(value)
    for (key of keys) {
      // Never allowed, and as an assignment it would set the copy's prototype.
      if (key === '__proto__')
        throw new InvalidArgumentError(
          known.length > 0
            ? `Unknown option \`__proto__\` in \`${field}\` of ${where}; expected one of ${known.map((k) => `\`${k}\``).join(', ')}`
            : `\`__proto__\` cannot be a key of \`${field}\` of ${where}: a copy would take it as its prototype; use another name`,
        )
      copy[key] = (value as Record<string, unknown>)[key]
    }
    for (key of known) {
      if (keys.includes(key)) continue
      const inherited = (value as Record<string, unknown>)[key]
      if (inherited !== undefined) copy[key] = inherited
    }
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error
    const what = key === undefined ? 'list of keys' : `\`${key}\``
    throw new InvalidArgumentError(
      `Expected \`${field}\` of ${where} to be readable, got one whose ${what} threw: ${errorMessage(error)}`,
      { cause: error },
    )
  }
  return copy
}

/**
 * @internal Unknown keys are a typo more often than not: refuse them. The known ones are read once
 * here, so that a Proxy whose trap throws for one is refused with a code, as `checkObject` does.
 */
export function checkKeys(where: Where, field: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const near = nearest(key, allowed)
      throw new InvalidArgumentError(
        `Unknown option \`${key}\` in \`${field}\` of ${where}${near === undefined ? '' : ` (did you mean \`${near}\`?)`}; expected one of ${allowed.map((k) => `\`${k}\``).join(', ')}`,
      )
    }
  }
  readEach(where, field, value, allowed)
}

/** The allowed key a typo most likely meant: at most two edits away (`timout` → `timeout`). */
function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 3
}

function readEach(where: Where, field: string, value: object, keys: Iterable<string>): void {
  let key: string | undefined
  try {
    for (key of keys) void (value as Record<string, unknown>)[key]
  } catch (error) {
    const what = key === undefined ? 'list of keys' : `\`${key}\``
    throw new InvalidArgumentError(
      `Expected \`${field}\` of ${where} to be readable, got one whose ${what} threw: ${errorMessage(error)}`,
      { cause: error },
    )
  }
}

/**
 * @internal Runs `look`, the checks that read a value the caller passed (a server, a client, a
 * report): a getter or Proxy trap that throws while they read is refused with a code, the thrown
 * value as `cause`, as `checkObject` refuses one in an options object. The package's own refusals
 * pass through.
 */
export function whileReading<T>(where: Where, field: string, look: () => T): T {
  try {
    return look()
  } catch (error) {
    return unreadable(where, field, error)
  }
}

/**
 * @internal What `whileReading()` throws for `error`, for a hot path that keeps its own `try` rather
 * than allocate a closure per call (`requestSignal()`, once per request).
 */
export function unreadable(where: Where, field: string, error: unknown): never {
  if (error instanceof InvalidArgumentError || error instanceof LifecycleError) throw error
  throw new InvalidArgumentError(
    `Expected \`${field}\` of ${where} to be readable, got one that threw when read: ${errorMessage(error)}`,
    { cause: error },
  )
}

/** @internal */
export function checkName(where: Where, field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') fail(where, field, 'a non-empty string', value)
}

/** @internal A budget in ms: finite and not negative. */
export function checkDuration(where: Where, field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DELAY) {
    fail(where, field, `a number of milliseconds from 0 to ${MAX_DELAY} ${MAX_DELAY_WHY}`, value)
  }
}

/** @internal A budget in ms that lets something run at all: more than 0, and what a timer can wait. */
export function checkPositiveDuration(where: Where, field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_DELAY) {
    fail(where, field, `a positive number of milliseconds up to ${MAX_DELAY} ${MAX_DELAY_WHY}`, value)
  }
}

/**
 * @internal The longest a timer waits: Node, Bun and Deno fire a `setTimeout` of more at once (Node
 * with a `TimeoutOverflowWarning`), so a longer budget would time its hook out at once.
 */
export const MAX_DELAY = 2_147_483_647

/** @internal */
export const MAX_DELAY_WHY = '(about 24.8 days, the longest a timer can wait)'

/** @internal */
export function checkFinite(where: Where, field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, field, 'a finite number', value)
}

/** @internal */
export function checkFunction(
  where: Where,
  field: string,
  value: unknown,
): asserts value is (...args: never) => unknown {
  if (typeof value !== 'function') fail(where, field, 'a function', value)
}

/** @internal */
export function checkBoolean(where: Where, field: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') fail(where, field, 'a boolean', value)
}

/** @internal A promise, or anything with a `then` method (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
