import { describeReason } from '../errors.js'
import { errorMessage, safeJson as safeJsonOf, safeString } from '../foreign.js'
import type { HookReport, PhaseReport, ShutdownReport } from '../types.js'
import { fail, whileReading } from '../validate.js'

/** @internal JSON that never throws: a cycle or a BigInt prints as `String(value)`. */
export function safeJson(value: unknown): string {
  return safeJsonOf(value)
}

/** @internal `0.4 ms`, `15 ms`, `1500 ms`: one unit, so columns compare at a glance. */
export function ms(value: number): string {
  return `${Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value)} ms`
}

/** @internal */
export function describeError(error: unknown): string {
  return errorMessage(error)
}

/**
 * @internal `drained=3 closed={"idle":2} exit="returned before the stop"`: one line that reads back
 * as the same fields (`npx graceful-lifecycle view` reads the table). A string is quoted (JSON) when
 * it holds a space, `;`, `=` or a quote, is empty, or would read back as something else (`"3"`).
 */
export function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return ''
  return Object.entries(details)
    .map(([key, value]) => `${plainOrQuoted(key, /^[^\s=;"]+$/.test(key))}=${detailValue(value)}`)
    .join(' ')
}

function detailValue(value: unknown): string {
  if (value === null || typeof value === 'object') return safeJson(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const text = safeString(value)
  return plainOrQuoted(text, readsBackAs(text))
}

/** Whether a string printed bare reads back as itself: no separator, no quote, not JSON. */
function readsBackAs(text: string): boolean {
  return text !== '' && !/[\s;="]/.test(text) && !/^[{[]/.test(text) && !parsesAsJson(text)
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function plainOrQuoted(text: string, plain: boolean): string {
  return plain ? text : JSON.stringify(text)
}

/**
 * @internal An error's message on one line of the table: quoted (JSON, `\n` for a line break) when
 * it holds a line break, `; ` (which separates the cell's parts) or a `key=` (which the details use),
 * begins with a quote or begins or ends with a space, and `""` when it is empty, so that the line
 * and the message read back whole.
 */
export function messageCell(message: string): string {
  return /^$|^\s|\s$|[\r\n]|; |^"|(?:^| )[^\s=;"]+=/.test(message) ? JSON.stringify(message) : message
}

/**
 * @internal What the hook's row says beside its status, whatever the status: the error (or why a
 * skipped hook never ran), then the details it recorded, a timed-out hook's included. `quote`
 * false (for the HTML page, read by people only) keeps a message as it is, line breaks included.
 */
export function describeHook(hook: HookReport, quote = true): string {
  const message = (error: unknown) => (quote ? messageCell(describeError(error)) : describeError(error))
  const parts: string[] = []
  if (hook.status === 'skipped') parts.push(hook.error === undefined ? 'never ran' : message(hook.error))
  else if (hook.status !== 'ok' && 'error' in hook) parts.push(message(hook.error))
  const over = overrun(hook)
  if (over !== undefined) parts.push(`${ms(over)} over its budget`)
  const details = describeDetails(hook.details)
  if (details !== '') parts.push(details)
  return parts.join('; ')
}

/** @internal How far a hook ran past its budget, when it did. */
export function overrun(hook: HookReport): number | undefined {
  if (hook.budgetMs === undefined || hook.status === 'skipped') return undefined
  const over = hook.durationMs - hook.budgetMs
  return over > 0.05 ? over : undefined
}

/** @internal `INGRESS (200)`, `priority 42`; a phase of an interrupted start says so. */
export function phaseLabel(phase: PhaseReport): string {
  const label = phase.name === undefined ? `priority ${phase.priority}` : `${phase.name} (${phase.priority})`
  return phase.kind === 'start' ? `start ${label}` : label
}

/**
 * @internal The first line of every rendering: how long, why, and the verdict. It stays one line:
 * an error reason is quoted as the table quotes a message (`messageCell()`), so
 * `npx graceful-lifecycle view` finds the headline and reads the reason back whole.
 */
export function headline(report: ShutdownReport, quote = true): string {
  const verdict = report.ok ? 'ok' : 'NOT OK'
  return `graceful-lifecycle: stopped in ${ms(report.durationMs)} (${reasonCell(report.reason, quote)}): ${verdict}`
}

function reasonCell(reason: ShutdownReport['reason'], quote: boolean): string {
  if (reason.type !== 'error' || !quote) return describeReason(reason)
  return `error: ${messageCell(describeError(reason.error))}`
}

/**
 * @internal The time range every rendering draws: from the earliest offset (negative when an
 * interrupted start is in the report) to the stop's end or the latest hook end, whichever is later.
 */
export function timeRange(report: ShutdownReport): { from: number; to: number } {
  let from = 0
  let to = report.durationMs
  for (const phase of report.phases) {
    from = Math.min(from, phase.startMs)
    to = Math.max(to, phase.startMs + phase.durationMs)
    for (const hook of phase.hooks) {
      from = Math.min(from, hook.startMs)
      to = Math.max(to, hook.startMs + hook.durationMs)
    }
  }
  if (!Number.isFinite(from)) from = 0
  if (!Number.isFinite(to) || to <= from) to = from + 1
  return { from, to }
}

/** @internal A timeline narrower than one column cannot draw a bar. */
export function checkWidth(where: string, width: unknown): asserts width is number {
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
    fail(where, 'width', 'a positive integer (columns)', width)
  }
}

/** @internal The functions that take a report refuse anything else with the house message. */
export function checkReport(where: string, report: unknown): asserts report is ShutdownReport {
  const ok = whileReading(
    where,
    'report',
    () =>
      report !== null &&
      typeof report === 'object' &&
      Array.isArray((report as { phases?: unknown }).phases) &&
      typeof (report as { durationMs?: unknown }).durationMs === 'number',
  )
  if (!ok) {
    fail(
      where,
      'report',
      'a ShutdownReport (what `stop()` resolves with, or `reportFromJSON()` gives)',
      report,
    )
  }
}
