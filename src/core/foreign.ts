/**
 * @internal The one reader of values that come from user code: what a hook threw, what a check
 * rejected with, a stop reason's error. Any of them may be a null-prototype object, an `Error`
 * whose `message` getter throws, or a Proxy whose traps throw. Reading one must never throw: a
 * throw here would end a stop without its report, or a process on a readiness probe. Every place
 * that prints, logs, serializes or exports a foreign error reads it through these functions.
 */

/** What an unreadable value prints as. */
const UNREADABLE = '[unreadable value]'

/** `value instanceof Error`, except that a Proxy whose `getPrototypeOf` trap throws is not one. */
export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error
  } catch {
    return false
  }
}

/** `value[key]`, or `undefined` when the getter (or a Proxy's `get` trap) throws. */
export function readField(value: unknown, key: PropertyKey): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  try {
    return (value as Record<PropertyKey, unknown>)[key]
  } catch {
    return undefined
  }
}

/** `String(value)` that never throws (a null-prototype object has no `toString`). */
export function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    try {
      return Object.prototype.toString.call(value)
    } catch {
      return UNREADABLE
    }
  }
}

/**
 * A value that `JSON.stringify` takes without throwing: `value` itself when it already does, else a
 * copy in which a BigInt is its digits, a cycle `'[Circular]'`, and a getter, Proxy trap or `toJSON`
 * that throws the unreadable mark. For a hook's `details`: a byte count as a BigInt must not make
 * `JSON.stringify(report)` throw in a `stopped` listener.
 */
export function jsonSafe(value: unknown): unknown {
  try {
    JSON.stringify(value)
    return value
  } catch {
    return plainCopy(value, new WeakSet())
  }
}

function plainCopy(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return '[Circular]'
  seen.add(value)
  try {
    const own = readField(value, 'toJSON')
    if (typeof own === 'function') return plainCopy(own.call(value), seen)
    if (Array.isArray(value)) return value.map((item) => plainCopy(item, seen))
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      let field: unknown
      try {
        field = (value as Record<string, unknown>)[key]
      } catch {
        field = UNREADABLE
      }
      copy[key] = plainCopy(field, seen)
    }
    return copy
  } catch {
    return UNREADABLE
  } finally {
    seen.delete(value)
  }
}

/** JSON that never throws: a cycle or a BigInt prints as `String(value)`. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? safeString(value)
  } catch {
    return safeString(value)
  }
}

/** A string field of an error, or `undefined` when it is absent, not a string, or throws. */
function stringField(error: unknown, key: string): string | undefined {
  const value = readField(error, key)
  return typeof value === 'string' ? value : undefined
}

/** The error's `name` (`'Error'` when unreadable); `'NonError'` for a value that is not an `Error`. */
export function errorName(error: unknown): string {
  if (!isError(error)) return 'NonError'
  return stringField(error, 'name') ?? 'Error'
}

/** The error's `code` when it is a string or a number (`ECONNREFUSED`, `GL_ERR_…`, `57P01`). */
export function errorCode(error: unknown): string | number | undefined {
  const code = readField(error, 'code')
  return typeof code === 'string' || typeof code === 'number' ? code : undefined
}

/**
 * An error's message; for any other value, the value itself as JSON (a string as it is when
 * `quote` is false). Never throws: a message that cannot be read says so.
 */
export function errorMessage(error: unknown, quote = true): string {
  if (isError(error)) {
    try {
      return String(error.message)
    } catch (inner) {
      const why = isError(inner) ? stringField(inner, 'message') : undefined
      return `(the message of this ${errorName(error)} could not be read${why === undefined ? '' : `: ${why}`})`
    }
  }
  if (typeof error === 'string' && !quote) return error
  return safeJson(error)
}

/**
 * The error itself when a logger (pino's serializer, `console.error`'s inspect) can print it: an
 * `Error` whose `name`, `message` and `stack` read without throwing; otherwise `undefined`, and
 * the caller logs a serialized copy.
 */
export function printableError(error: unknown): Error | undefined {
  if (!isError(error)) return undefined
  try {
    void `${error.name}${error.message}${error.stack}`
    return error
  } catch {
    return undefined
  }
}

/** The own enumerable keys of a value, `[]` when a Proxy's `ownKeys` trap throws. */
export function ownKeys(value: object): string[] {
  try {
    return Object.keys(value)
  } catch {
    return []
  }
}
