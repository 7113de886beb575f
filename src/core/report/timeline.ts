import type { HookReport, PhaseReport, ShutdownReport, TimelineOptions } from '../types.js'
import { checkBoolean, checkKeys, readOptions } from '../validate.js'
import { colors, type Palette, plain } from './color.js'
import { checkReport, checkWidth, ms, overrun, phaseLabel, timeRange } from './format.js'

const TIMELINE_KEYS = ['width', 'color']

export type { TimelineOptions }

/** @internal */
export interface TimelineDrawing extends TimelineOptions {
  /** A phase with more hooks shows its failed and slowest ones, then a count of the rest. */
  readonly maxHooksPerPhase?: number
}

const BAR = { ok: '█', error: '░', timeout: '░', skipped: '·' } as const
const PHASE = '━'
const BUDGET = '┆'

/** @internal Validates the options of `toTimeline()` / `formatTimeline()`. */
export function checkTimelineOptions(where: string, options: unknown, widthAlone = false): TimelineOptions {
  if (options === undefined) return {}
  if (widthAlone && typeof options === 'number') {
    checkWidth(where, options)
    return { width: options }
  }
  const copy = readOptions(where, 'options', options, TIMELINE_KEYS) as TimelineOptions
  checkKeys(where, 'options', copy, TIMELINE_KEYS)
  const { width, color } = copy
  if (width !== undefined) checkWidth(where, width)
  if (color !== undefined) checkBoolean(where, 'color', color)
  return copy
}

type Cell = { ch: string; paint: (text: string) => string }

/** One row of cells on the shared axis, painted run by run so a bar is one escape sequence. */
function paintRow(cells: readonly Cell[]): string {
  let out = ''
  let run = ''
  let paint: ((text: string) => string) | undefined
  for (const cell of cells) {
    if (cell.paint !== paint) {
      if (paint) out += paint(run)
      run = ''
      paint = cell.paint
    }
    run += cell.ch
  }
  return paint ? out + paint(run) : out
}

/**
 * @internal Draws the report: one row per phase (its span, `━`) and beneath it one per hook (`█` ok,
 * `░` error or timeout, `·` skipped), every row on the same time axis, each hook's budget end
 * marked `┆` where it falls inside the axis. Offsets before the stop (an interrupted start) are
 * drawn left of the axis's `0`.
 */
export function drawTimeline(report: ShutdownReport, drawing: TimelineDrawing = {}): string {
  const width = drawing.width ?? 50
  const palette: Palette = drawing.color === true ? colors : plain
  const { from, to } = timeRange(report)
  const span = to - from
  const column = (at: number): number =>
    Math.min(width - 1, Math.max(0, Math.floor(((at - from) / span) * width)))
  const columns = (duration: number): number => Math.max(1, Math.round((duration / span) * width))

  const rows = report.phases.map((phase) => ({ phase, hooks: visibleHooks(phase, drawing.maxHooksPerPhase) }))
  const labels = rows.flatMap(({ phase, hooks }) => [
    phaseLabel(phase),
    ...hooks.shown.map((hook) => hook.name),
  ])
  const labelWidth = Math.max(4, ...labels.map((label) => label.length))
  // Before an interrupted start, the moment the stop began runs down every row as a dotted line.
  const zero = from < 0 ? column(0) : -1
  const blank = (): Cell[] =>
    Array.from({ length: width }, (_, i) =>
      i === zero ? { ch: '┊', paint: palette.dim } : { ch: ' ', paint: plain.bold },
    )

  const lines: string[] = []
  for (const { phase, hooks } of rows) {
    const cells = blank()
    const start = column(phase.startMs)
    const length = Math.min(columns(phase.durationMs), width - start)
    for (let i = start; i < start + length; i++) cells[i] = { ch: PHASE, paint: palette.phase }
    const label = palette.bold(phaseLabel(phase).padEnd(labelWidth))
    lines.push(
      `${label} |${paintRow(cells)}| ${palette.dim(`${ms(phase.startMs)} +${ms(phase.durationMs)}`)}`,
    )
    for (const hook of hooks.shown) lines.push(hookLine(hook))
    if (hooks.hidden > 0) {
      const rest = hooks.hiddenOk ? 'all ok' : 'see the table'
      lines.push(
        palette.dim(`${' '.repeat(labelWidth)}  … ${hooks.hidden} more hooks in this phase, ${rest}`),
      )
    }
  }
  lines.push(palette.dim(axis()))
  return lines.join('\n')

  function hookLine(hook: HookReport): string {
    const cells = blank()
    const start = column(hook.startMs)
    const length = hook.status === 'skipped' ? 1 : Math.min(columns(hook.durationMs), width - start)
    const paint = paintFor(hook)
    for (let i = start; i < start + length; i++) cells[i] = { ch: BAR[hook.status], paint }
    if (hook.budgetMs !== undefined && hook.status !== 'skipped') {
      const end = hook.startMs + hook.budgetMs
      // A budget that ends after the axis is not drawn: the number beside the bar says it.
      // …nor one that would hide the whole of a one-column bar.
      if (end < to && (length > 1 || column(end) !== start))
        cells[column(end)] = { ch: BUDGET, paint: palette.budget }
    }
    const over = overrun(hook)
    const budget = hook.budgetMs === undefined ? '' : ` / ${ms(hook.budgetMs)}`
    const status = hook.status === 'ok' ? palette.ok('ok') : paint(hook.status.toUpperCase())
    const overText = over === undefined ? '' : ` ${paint(`${ms(over)} over budget`)}`
    const name = hook.status === 'ok' || hook.status === 'skipped' ? hook.name : paint(hook.name)
    return `${name}${' '.repeat(labelWidth - hook.name.length)} |${paintRow(cells)}| ${ms(hook.startMs)} +${ms(hook.durationMs)}${budget} ${status}${overText}`
  }

  function paintFor(hook: HookReport): (text: string) => string {
    if (hook.status === 'ok') return palette.ok
    if (hook.status === 'skipped') return palette.dim
    return hook.status === 'timeout' ? palette.timeout : palette.error
  }

  /** `0` under the first column and the end under the last; an earlier start adds its own label. */
  function axis(): string {
    const end = ms(to)
    const begin = from < 0 ? ms(from) : '0'
    // Too narrow for labels at their places: say the range instead.
    if (begin.length + end.length + 1 > width + 2) return `${' '.repeat(labelWidth)} ${begin} … ${end}`
    const chars = Array.from({ length: width + 2 }, () => ' ')
    const put = (text: string, at: number): void => {
      for (let i = 0; i < text.length; i++)
        if (at + i >= 0 && at + i < chars.length) chars[at + i] = text[i] as string
    }
    put(end, width + 2 - end.length)
    if (from < 0) {
      const start = ms(from)
      put(start, 0)
      const zero = 1 + column(0)
      if (zero > start.length && zero < width + 1 - end.length) put('0', zero)
    } else {
      put('0', 0)
    }
    return `${' '.repeat(labelWidth)} ${chars.join('')}`
  }
}

/** A phase's hooks to draw: all of them, or within the limit its failed ones first, then the slowest. */
function visibleHooks(
  phase: PhaseReport,
  limit: number | undefined,
): { shown: readonly HookReport[]; hidden: number; hiddenOk: boolean } {
  if (limit === undefined || phase.hooks.length <= limit)
    return { shown: phase.hooks, hidden: 0, hiddenOk: true }
  const ranked = [...phase.hooks].sort(
    (a, b) => Number(a.status === 'ok') - Number(b.status === 'ok') || b.durationMs - a.durationMs,
  )
  const keep = new Set(ranked.slice(0, limit))
  const shown = phase.hooks.filter((hook) => keep.has(hook))
  const hiddenOk = phase.hooks.every((hook) => keep.has(hook) || hook.status === 'ok')
  return { shown, hidden: phase.hooks.length - shown.length, hiddenOk }
}

/**
 * The report as a timeline: one bar per phase and per hook on a shared time axis, so overlap, gaps,
 * budgets and the hooks that failed or timed out show at a glance. Plain text unless `color`.
 *
 * @example
 * ```ts
 * console.log(formatTimeline(report, 60))
 * console.log(formatTimeline(report, { width: 80, color: process.stdout.isTTY }))
 * ```
 */
export function formatTimeline(report: ShutdownReport, options: number | TimelineOptions = 50): string {
  checkReport('`formatTimeline()`', report)
  return drawTimeline(report, checkTimelineOptions('`formatTimeline()`', options, true))
}
