import type { HookReport, PhaseReport, ShutdownReport, TraceEvent, TraceFile } from '../types.js'
import { checkReport, describeError, phaseLabel } from './format.js'

export type { TraceEvent, TraceFile }

const us = (msValue: number): number => Math.round(msValue * 1000 * 1000) / 1000

/**
 * The report in the Chrome trace-event format: one process track per phase, in the order the phases
 * ran, holding the phase's slice and one thread track per hook (hooks of a phase overlap, and slices
 * on one thread must nest). Times are epoch microseconds, so a trace lines up with others of the host.
 *
 * @example
 * ```ts
 * writeFileSync('stop.trace.json', JSON.stringify(formatTrace(report)))
 * // then open it in ui.perfetto.dev or chrome://tracing
 * ```
 */
export function formatTrace(report: ShutdownReport): TraceFile {
  checkReport('`formatTrace()`', report)
  const origin = report.startedAt
  const events: TraceEvent[] = []
  report.phases.forEach((phase, index) => {
    const pid = index + 1
    const name = phaseLabel(phase)
    events.push(meta('process_name', pid, 0, { name }))
    events.push(meta('process_sort_index', pid, 0, { sort_index: index }))
    events.push(meta('thread_name', pid, 0, { name: 'phase' }))
    events.push(meta('thread_sort_index', pid, 0, { sort_index: 0 }))
    events.push(slice(phase, pid, 0, name, 'phase', origin, phaseArgs(phase)))
    phase.hooks.forEach((hook, hookIndex) => {
      const tid = hookIndex + 1
      events.push(meta('thread_name', pid, tid, { name: hook.name }))
      events.push(meta('thread_sort_index', pid, tid, { sort_index: tid }))
      events.push(slice(hook, pid, tid, hook.name, `hook,${hook.status}`, origin, hookArgs(hook)))
    })
  })
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      producer: 'graceful-lifecycle',
      ok: report.ok,
      startedAt: new Date(report.startedAt).toISOString(),
      durationMs: report.durationMs,
    },
  }
}

function meta(name: string, pid: number, tid: number, args: Record<string, unknown>): TraceEvent {
  return { ph: 'M', name, pid, tid, ts: 0, args }
}

function slice(
  span: PhaseReport | HookReport,
  pid: number,
  tid: number,
  name: string,
  cat: string,
  origin: number,
  args: Record<string, unknown>,
): TraceEvent {
  return { ph: 'X', name, cat, pid, tid, ts: us(origin + span.startMs), dur: us(span.durationMs), args }
}

function phaseArgs(phase: PhaseReport): Record<string, unknown> {
  return {
    kind: phase.kind,
    priority: phase.priority,
    hooks: phase.hooks.length,
    ok: phase.hooks.every((hook) => hook.status === 'ok'),
  }
}

function hookArgs(hook: HookReport): Record<string, unknown> {
  return {
    status: hook.status,
    priority: hook.priority,
    startMs: hook.startMs,
    durationMs: hook.durationMs,
    ...(hook.budgetMs === undefined ? {} : { budgetMs: hook.budgetMs }),
    ...(hook.status !== 'ok' && hook.error !== undefined ? { error: describeError(hook.error) } : {}),
    ...(hook.details === undefined ? {} : { details: JSON.parse(safeDetails(hook.details)) }),
  }
}

/** Details are the user's: a cycle or a BigInt must not make the whole trace unserializable. */
function safeDetails(details: Record<string, unknown>): string {
  try {
    return (
      JSON.stringify(details, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) ?? '{}'
    )
  } catch {
    return JSON.stringify({ unserializable: String(details) })
  }
}
