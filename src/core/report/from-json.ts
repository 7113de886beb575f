import type { HookReport, HookStatus, PhaseReport, RunKind, ShutdownReport, StopReason } from '../types.js'
import { fail, whileReading } from '../validate.js'
import { Report } from './report.js'

const WHERE = '`reportFromJSON()`'
const STATUSES: readonly HookStatus[] = ['ok', 'error', 'timeout', 'skipped']

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(WHERE, field, 'an object', value)
  return value as Record<string, unknown>
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(WHERE, field, 'a finite number', value)
  return value
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(WHERE, field, 'a string', value)
  return value
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(WHERE, field, 'an array', value)
  return value
}

/** A serialized error becomes an `Error` again (name, message and own fields), so it prints as one. */
function reviveError(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  const { name, message, cause, ...rest } = value as Record<string, unknown>
  if (typeof message !== 'string') return value
  const error = new Error(message, cause === undefined ? undefined : { cause: reviveError(cause) })
  if (typeof name === 'string') error.name = name
  Object.assign(error, rest)
  error.stack = `${error.name}: ${message}`
  return error
}

function reviveReason(value: unknown): StopReason {
  const reason = object(value, 'reason')
  switch (reason.type) {
    case 'manual':
    case 'disposed':
      return { type: reason.type }
    case 'signal':
      return { type: 'signal', signal: text(reason.signal, 'reason.signal') as NodeJS.Signals }
    case 'error':
      return { type: 'error', error: reviveError(reason.error) }
    default:
      return fail(WHERE, 'reason.type', "one of 'manual', 'signal', 'error', 'disposed'", reason.type)
  }
}

function reviveHook(value: unknown, field: string): HookReport {
  const hook = object(value, field)
  const status = hook.status as HookStatus
  if (!STATUSES.includes(status)) fail(WHERE, `${field}.status`, `one of ${STATUSES.join(', ')}`, hook.status)
  return {
    name: text(hook.name, `${field}.name`),
    priority: finite(hook.priority, `${field}.priority`),
    status,
    startMs: finite(hook.startMs, `${field}.startMs`),
    durationMs: finite(hook.durationMs, `${field}.durationMs`),
    ...(hook.budgetMs === undefined ? {} : { budgetMs: finite(hook.budgetMs, `${field}.budgetMs`) }),
    ...('error' in hook ? { error: reviveError(hook.error) } : {}),
    ...(hook.details === undefined ? {} : { details: object(hook.details, `${field}.details`) }),
  }
}

function revivePhase(value: unknown, field: string): PhaseReport {
  const phase = object(value, field)
  const kind = (phase.kind ?? 'stop') as RunKind
  if (kind !== 'start' && kind !== 'stop') fail(WHERE, `${field}.kind`, "'start' or 'stop'", phase.kind)
  return {
    kind,
    priority: finite(phase.priority, `${field}.priority`),
    ...(phase.name === undefined ? {} : { name: text(phase.name, `${field}.name`) }),
    startMs: finite(phase.startMs, `${field}.startMs`),
    durationMs: finite(phase.durationMs, `${field}.durationMs`),
    hooks: list(phase.hooks, `${field}.hooks`).map((hook, index) =>
      reviveHook(hook, `${field}.hooks[${index}]`),
    ),
  }
}

/**
 * A report again from its JSON (`JSON.parse` of a logged or saved `report.toJSON()`), with every
 * method of a live one: render a stop that happened elsewhere. Pino's `{ report }` field works too.
 * Refuses malformed input with a TypeError naming the field.
 *
 * @example
 * ```ts
 * const report = reportFromJSON(JSON.parse(readFileSync('report.json', 'utf8')))
 * writeFileSync('stop.html', formatHTML(report))
 * ```
 */
export function reportFromJSON(json: unknown): ShutdownReport {
  // Everything below reads the input: a getter or Proxy trap that throws is refused with a code.
  return whileReading('`reportFromJSON()`', 'json', () => revive(json))
}

function revive(json: unknown): ShutdownReport {
  const input = object(json, 'json')
  // A pino record carries the report in its `report` field.
  const data = 'phases' in input || !('report' in input) ? input : object(input.report, 'json.report')
  const phases = list(data.phases, 'phases').map((phase, index) => revivePhase(phase, `phases[${index}]`))
  return new Report(
    reviveReason(data.reason),
    finite(data.startedAt, 'startedAt'),
    finite(data.durationMs, 'durationMs'),
    phases,
  )
}
