import { jsonSafe } from '../foreign.js'
import type {
  PhaseReport,
  ShutdownReport,
  ShutdownReportJSON,
  StopReason,
  TimelineOptions,
} from '../types.js'
import { serializeError, serializeReason } from './serialize.js'
import { formatTable } from './table.js'
import { checkTimelineOptions, drawTimeline } from './timeline.js'

/** @internal The report object: the fields DESIGN.md lists, and the ways to print them. */
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

  toTimeline(options?: TimelineOptions): string {
    return drawTimeline(this, checkTimelineOptions('`toTimeline()`', options))
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
          ...(hook.details === undefined
            ? {}
            : { details: jsonSafe(hook.details) as Record<string, unknown> }),
        })),
      })),
    }
  }
}
