import type { ShutdownReportJSON, StopReason } from '../types.js'

/** An error as JSON: the shape `ShutdownReportJSON` declares for a hook's `error`. */
type SerializedError = NonNullable<ShutdownReportJSON['phases'][number]['hooks'][number]['error']>

import { safeJson } from './format.js'

/** @internal */
export function serializeReason(reason: StopReason): Record<string, unknown> {
  return reason.type === 'error' ? { type: 'error', error: serializeError(reason.error) } : { ...reason }
}

/**
 * An error as plain JSON: name, message, code, cause, nested errors and any own fields; no stack.
 *
 * @example
 * ```ts
 * logger.error({ error: serializeError(error) })
 * ```
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'NonError', message: typeof error === 'string' ? error : safeJson(error) }
  }
  const out: SerializedError = { name: error.name, message: error.message }
  for (const [key, value] of Object.entries(error)) {
    if (key === 'stack' || key === 'report' || key === 'name' || key === 'message') continue
    out[key] = typeof value === 'function' ? undefined : value
  }
  if (depth < 5) {
    if (error.cause !== undefined)
      out.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : error.cause
    if (error instanceof AggregateError)
      out.errors = error.errors.map((inner) => serializeError(inner, depth + 1))
  }
  return out
}
