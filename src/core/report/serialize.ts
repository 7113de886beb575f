import { errorMessage, errorName, isError, jsonSafe, ownKeys, readField, safeJson } from '../foreign.js'
import type { ShutdownReportJSON, StopReason } from '../types.js'

/** An error as JSON: the shape `ShutdownReportJSON` declares for a hook's `error`. */
type SerializedError = NonNullable<ShutdownReportJSON['phases'][number]['hooks'][number]['error']>

/** @internal */
export function serializeReason(reason: StopReason): Record<string, unknown> {
  return reason.type === 'error' ? { type: 'error', error: serializeError(reason.error) } : { ...reason }
}

/**
 * An error as plain JSON: name, message, code, cause, nested errors and any own fields; no stack.
 * Never throws, whatever the error's getters do, and `JSON.stringify` of the result never throws.
 *
 * @example
 * ```ts
 * logger.error({ error: serializeError(error) })
 * ```
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!isError(error)) {
    return { name: 'NonError', message: typeof error === 'string' ? error : safeJson(error) }
  }
  const out: SerializedError = { name: errorName(error), message: errorMessage(error) }
  for (const key of ownKeys(error)) {
    if (key === 'stack' || key === 'report' || key === 'name' || key === 'message') continue
    const value = readField(error, key)
    out[key] = typeof value === 'function' ? undefined : jsonSafe(value)
  }
  if (depth < 5) {
    const cause = readField(error, 'cause')
    if (cause !== undefined) out.cause = isError(cause) ? serializeError(cause, depth + 1) : jsonSafe(cause)
    const errors = error instanceof AggregateError ? readField(error, 'errors') : undefined
    if (Array.isArray(errors)) out.errors = errors.map((inner) => serializeError(inner, depth + 1))
  }
  return out
}
