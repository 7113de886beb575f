import { printableError } from './foreign.js'
import { formatConsoleReport } from './report/console.js'
import { serializeError } from './report/serialize.js'
import type { RunTime } from './run.js'
import type { HookReport, Logger, RunKind, ShutdownReport } from './types.js'

/** @internal What the lifecycle writes, in the shape its logger wants. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, error: unknown, fields?: Record<string, unknown>): void
  /** A stop phase begins: one line, so a process killed mid-stop leaves where it was. */
  phase(priority: number, name: string | undefined, hooks: readonly { name: string }[], time: RunTime): void
  /** A hook just passed its budget: given up on at its timer, or found to have run over it. */
  overBudget(hook: HookReport, kind: RunKind, gaveUp: boolean): void
  report(report: ShutdownReport): void
}

const silent: Log = { info() {}, warn() {}, error() {}, phase() {}, overBudget() {}, report() {} }

/** A pino-style logger takes `(fields, message)`; console takes text. */
function isStructured(logger: Logger): boolean {
  const candidate = logger as Logger & { child?: unknown; level?: unknown }
  return typeof candidate.child === 'function' && typeof candidate.level === 'string'
}

/** At most ten names, then a count: a line must stay readable with ten thousand hooks. */
function names(hooks: readonly { name: string }[]): string {
  const shown = hooks.slice(0, 10).map((hook) => hook.name)
  return `${shown.join(', ')}${hooks.length > 10 ? ` and ${hooks.length - 10} more` : ''}`
}

const TIME_NOTE: Record<RunTime, string> = {
  'in-time': '',
  cancelled: '',
  overdue: ' (the stop is past its deadline: aborted signals, final grace only)',
  forced: ' (the stop was forced: skipped)',
}

/** The line and the fields of a phase that begins, and of a hook over its budget. */
function phaseLine(
  priority: number,
  name: string | undefined,
  hooks: readonly { name: string }[],
  time: RunTime,
) {
  const label = name === undefined ? `priority ${priority}` : `${name} (${priority})`
  return {
    message: `stop phase ${label}: ${names(hooks)}${TIME_NOTE[time]}`,
    fields: { phase: name ?? priority, priority, hooks: hooks.length, time },
  }
}

function overBudgetLine(hook: HookReport, kind: RunKind, gaveUp: boolean) {
  const budget = hook.budgetMs ?? 0
  const ran = hook.durationMs
  const over = gaveUp
    ? ': given up on, its signal aborted'
    : `: it ran ${Math.round(ran)} ms, ${Math.round(ran - budget)} ms over`
  return {
    message: `${kind} hook \`${hook.name}\` passed its ${budget} ms budget${over}`,
    fields: { hook: hook.name, kind, budgetMs: budget, ...(gaveUp ? {} : { durationMs: ran }) },
  }
}

/** What a logger is given: the error itself when its serializer can read it, a plain copy otherwise. */
function loggable(error: unknown): unknown {
  return printableError(error) ?? serializeError(error)
}

/** @internal */
export function createLog(logger: Logger | false): Log {
  if (logger === false) return silent
  const prefix = 'graceful-lifecycle:'
  if (isStructured(logger)) {
    return {
      info: (message, fields) => logger.info({ ...fields }, `${prefix} ${message}`),
      warn: (message, fields) => logger.warn({ ...fields }, `${prefix} ${message}`),
      error: (message, error, fields) =>
        logger.error({ ...fields, err: loggable(error) }, `${prefix} ${message}`),
      phase: (...args) => {
        const { message, fields } = phaseLine(...args)
        logger.info(fields, `${prefix} ${message}`)
      },
      overBudget: (hook, kind, gaveUp) => {
        const { message, fields } = overBudgetLine(hook, kind, gaveUp)
        logger.warn(fields, `${prefix} ${message}`)
      },
      report: (report) => {
        const message = `${prefix} stopped in ${Math.round(report.durationMs)} ms${report.ok ? '' : ' (not ok)'}`
        const fields = { report: report.toJSON() }
        if (report.ok) logger.info(fields, message)
        else logger.error(fields, message)
      },
    }
  }
  const withFields = (message: string, fields?: Record<string, unknown>): string =>
    fields && Object.keys(fields).length > 0
      ? `${prefix} ${message} ${JSON.stringify(fields)}`
      : `${prefix} ${message}`
  return {
    info: (message, fields) => logger.info(withFields(message, fields)),
    warn: (message, fields) => logger.warn(withFields(message, fields)),
    error: (message, error, fields) => logger.error(withFields(message, fields), loggable(error)),
    phase: (...args) => logger.info(`${prefix} ${phaseLine(...args).message}`),
    overBudget: (hook, kind, gaveUp) =>
      logger.warn(`${prefix} ${overBudgetLine(hook, kind, gaveUp).message}`),
    report: (report) => {
      const text = formatConsoleReport(report, logger)
      if (report.ok) logger.info(text)
      else logger.error(text)
    },
  }
}
