import { describeReason } from './errors.js'
import type {
  HookReport,
  PhaseReport,
  SerializedError,
  ShutdownReport,
  ShutdownReportJSON,
  StopReason,
} from './types.js'
import { checkKeys, checkObject, fail } from './validate.js'

/** @internal The report object: the fields DESIGN.md lists, and three ways to print them. */
export class Report implements ShutdownReport {
  readonly reason: StopReason
  readonly ok: boolean
  readonly startedAt: number
  readonly durationMs: number
  readonly phases: readonly PhaseReport[]

  /** `ok`: when the runner counted the hooks that did not end ok as they ended, no pass is needed. */
  constructor(
    reason: StopReason,
    startedAt: number,
    durationMs: number,
    phases: readonly PhaseReport[],
    ok = phases.every((phase) => phase.hooks.every((hook) => hook.status === 'ok')),
  ) {
    this.reason = reason
    this.ok = ok
    this.startedAt = startedAt
    this.durationMs = durationMs
    this.phases = phases
  }

  toString(): string {
    return formatTable(this)
  }

  toTimeline(options?: { width?: number }): string {
    if (options !== undefined) {
      checkObject('`toTimeline()`', 'options', options)
      checkKeys('`toTimeline()`', 'options', options, ['width'])
      if (options.width !== undefined) checkWidth('`toTimeline()`', options.width)
    }
    return formatTimeline(this, options?.width)
  }

  toJSON(): ShutdownReportJSON {
    return {
      reason: serializeReason(this.reason),
      ok: this.ok,
      startedAt: this.startedAt,
      durationMs: this.durationMs,
      phases: this.phases.map((phase) => ({
        kind: phase.kind,
        priority: phase.priority,
        ...(phase.name === undefined ? {} : { name: phase.name }),
        startMs: phase.startMs,
        durationMs: phase.durationMs,
        hooks: phase.hooks.map((hook) => ({
          name: hook.name,
          priority: hook.priority,
          status: hook.status,
          startMs: hook.startMs,
          durationMs: hook.durationMs,
          ...(hook.budgetMs === undefined ? {} : { budgetMs: hook.budgetMs }),
          ...('error' in hook ? { error: serializeError(hook.error) } : {}),
          ...(hook.details === undefined ? {} : { details: hook.details }),
        })),
      })),
    }
  }
}

function serializeReason(reason: StopReason): Record<string, unknown> {
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

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : safeJson(error)
}

function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return ''
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? safeJson(value) : String(value)}`)
    .join(' ')
}

function phaseLabel(phase: PhaseReport): string {
  return phase.name === undefined ? `priority ${phase.priority}` : `${phase.name} (${phase.priority})`
}

/**
 * The report as a table of phases and hooks with their timings: what the logger writes after a stop.
 *
 * @example
 * ```ts
 * console.log(formatTable(await lifecycle.stop()))
 * ```
 */
export function formatTable(report: ShutdownReport): string {
  const rows: string[][] = [['phase', 'hook', 'status', 'start', 'duration', 'details']]
  for (const phase of report.phases) {
    rows.push([phaseLabel(phase), '', '', ms(phase.startMs), ms(phase.durationMs), ''])
    for (const hook of phase.hooks) {
      const note = hook.status === 'ok' ? describeDetails(hook.details) : describeError(hook.error)
      rows.push(['', hook.name, hook.status, ms(hook.startMs), ms(hook.durationMs), note])
    }
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  const lines = rows.map((row) =>
    row
      .map((cell, column) =>
        column === 3 || column === 4 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  )
  const verdict = report.ok ? 'ok' : 'NOT OK'
  const header = `graceful-lifecycle: stopped in ${ms(report.durationMs)} (${describeReason(report.reason)}): ${verdict}`
  return [header, ...lines].join('\n')
}

/**
 * The report as a timeline: one bar per hook on a shared time axis, so overlap and gaps show.
 *
 * @example
 * ```ts
 * console.log(formatTimeline(report, 60))
 * ```
 */
export function formatTimeline(report: ShutdownReport, width = 50): string {
  checkWidth('`formatTimeline()`', width)
  const hooks: HookReport[] = report.phases.flatMap((phase) => [...phase.hooks])
  const total = Math.max(report.durationMs, 1)
  const label = Math.max(4, ...hooks.map((hook) => hook.name.length))
  const lines = hooks.map((hook) => {
    const from = Math.min(width - 1, Math.floor((hook.startMs / total) * width))
    const length = Math.max(1, Math.round((hook.durationMs / total) * width))
    const bar = ' '.repeat(from) + (hook.status === 'ok' ? '█' : '░').repeat(Math.min(length, width - from))
    return `${hook.name.padEnd(label)} |${bar.padEnd(width)}| ${ms(hook.startMs)} +${ms(hook.durationMs)} ${hook.status}`
  })
  const axis = `${' '.repeat(label)} 0${' '.repeat(Math.max(0, width - ms(total).length))}${ms(total)}`
  return [...lines, axis].join('\n')
}

/** A timeline narrower than one column cannot draw a bar. */
function checkWidth(where: string, width: unknown): void {
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
    fail(where, 'width', 'a positive integer (columns)', width)
  }
}
