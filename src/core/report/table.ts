import type { ShutdownReport } from '../types.js'
import { checkReport, describeHook, headline, ms, phaseLabel } from './format.js'

/** @internal The table without its headline: what the console log prints beneath the timeline. */
export function tableRows(report: ShutdownReport): string[] {
  const rows: string[][] = [['phase', 'hook', 'status', 'start', 'duration', 'details']]
  for (const phase of report.phases) {
    rows.push([phaseLabel(phase), '', '', ms(phase.startMs), ms(phase.durationMs), ''])
    for (const hook of phase.hooks) {
      // Duration beside the budget it ran with: how close to it the hook came shows at a glance.
      const duration =
        hook.budgetMs === undefined ? ms(hook.durationMs) : `${ms(hook.durationMs)} / ${ms(hook.budgetMs)}`
      rows.push(['', hook.name, hook.status, ms(hook.startMs), duration, describeHook(hook)])
    }
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  // Numbers right-aligned, so their units line up.
  const right = new Set([3, 4])
  return rows.map((row) =>
    row
      .map((cell, column) =>
        right.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  )
}

/**
 * The report as a table of phases and hooks: every hook's status, start, duration (beside its budget) and
 * details, whatever its status (a timed-out hook keeps its details; a skipped one says it never ran).
 *
 * @example
 * ```ts
 * console.log(formatTable(await lifecycle.stop()))
 * ```
 */
export function formatTable(report: ShutdownReport): string {
  checkReport('`formatTable()`', report)
  return [headline(report), ...tableRows(report)].join('\n')
}
