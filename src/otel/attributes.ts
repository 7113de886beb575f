import type { Attributes, AttributeValue } from '@opentelemetry/api'
import { errorMessage } from '../core/foreign.js'
import type { HookReport, PhaseReport, StopReason } from '../core/types.js'

/** @internal Every attribute this subpath sets starts with this. */
export const NS = 'graceful_lifecycle'

/** @internal `signal SIGTERM` → `signal`, `SIGTERM`. */
export function reasonAttributes(reason: StopReason): Attributes {
  const out: Attributes = { [`${NS}.reason`]: reason.type }
  if (reason.type === 'signal') out[`${NS}.signal`] = reason.signal
  if (reason.type === 'error') {
    out[`${NS}.reason.error`] = errorMessage(reason.error, false)
  }
  return out
}

/** A detail as an attribute value: numbers, strings and booleans as they are, anything else as JSON. */
function attributeValue(value: unknown): AttributeValue {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value
  try {
    return (
      JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? String(inner) : inner)) ??
      String(value)
    )
  } catch {
    return String(value)
  }
}

/** @internal The hook's outcome: status, timings, budget, how far over, and each detail. */
export function hookAttributes(hook: HookReport): Attributes {
  const out: Attributes = {
    [`${NS}.hook.status`]: hook.status,
    [`${NS}.hook.priority`]: hook.priority,
    [`${NS}.hook.start_ms`]: hook.startMs,
    [`${NS}.hook.duration_ms`]: hook.durationMs,
  }
  if (hook.budgetMs !== undefined) {
    out[`${NS}.hook.budget_ms`] = hook.budgetMs
    if (hook.status !== 'skipped' && hook.durationMs > hook.budgetMs) {
      out[`${NS}.hook.over_budget_ms`] = Math.round((hook.durationMs - hook.budgetMs) * 10) / 10
    }
  }
  for (const [key, value] of Object.entries(hook.details ?? {})) {
    out[`${NS}.hook.details.${key}`] = attributeValue(value)
  }
  return out
}

/** @internal */
export function phaseAttributes(phase: Pick<PhaseReport, 'kind' | 'priority' | 'name'>): Attributes {
  return {
    [`${NS}.run`]: phase.kind,
    [`${NS}.phase.priority`]: phase.priority,
    ...(phase.name === undefined ? {} : { [`${NS}.phase.name`]: phase.name }),
  }
}
