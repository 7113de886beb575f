import type { Logger, ShutdownReport } from '../types.js'
import { shouldColor } from './color.js'
import { headline } from './format.js'
import { tableRows } from './table.js'
import { drawTimeline } from './timeline.js'

/** Beyond this many hooks a phase shows its failed and slowest ones: a log is read, not scrolled. */
const HOOKS_PER_PHASE = 20

/** The bar's width on a terminal: what is left of its columns beside the labels and numbers. */
function widthFor(stream: { columns?: number } | undefined, report: ShutdownReport): number {
  const columns = stream?.columns
  // A pseudo-terminal that was never sized reports 0 columns: draw the default width then.
  if (columns === undefined || !Number.isFinite(columns) || columns <= 0) return 50
  const labels = report.phases.flatMap((phase) => [phase.name ?? '', ...phase.hooks.map((hook) => hook.name)])
  const label = Math.max(18, ...labels.map((name) => name.length + 8))
  return Math.max(20, Math.min(100, columns - label - 40))
}

/**
 * @internal What a console-style logger prints at the end of a stop: the headline, the timeline,
 * the table beneath. Colour only when the logger is the real console writing to a TTY (its info
 * goes to stdout, its error to stderr), and never under NO_COLOR.
 */
export function formatConsoleReport(report: ShutdownReport, logger: Logger | undefined): string {
  const stream = logger === globalThis.console ? (report.ok ? process.stdout : process.stderr) : undefined
  const color = shouldColor(stream)
  const timeline = drawTimeline(report, {
    width: widthFor(stream?.isTTY ? stream : undefined, report),
    color,
    maxHooksPerPhase: HOOKS_PER_PHASE,
  })
  const title = color ? `\u001b[1m${headline(report)}\u001b[0m` : headline(report)
  return [title, timeline, '', ...tableRows(report)].join('\n')
}
