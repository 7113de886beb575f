import { formatConsoleReport } from './report/console.js'
import { serializeError } from './report.js'
import type { Logger, ShutdownReport } from './types.js'

/** @internal What the lifecycle writes, in the shape its logger wants. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, error: unknown, fields?: Record<string, unknown>): void
  report(report: ShutdownReport): void
}

const silent: Log = { info() {}, warn() {}, error() {}, report() {} }

/** A pino-style logger takes `(fields, message)`; console takes text. */
function isStructured(logger: Logger): boolean {
  const candidate = logger as Logger & { child?: unknown; level?: unknown }
  return typeof candidate.child === 'function' && typeof candidate.level === 'string'
}

/** @internal */
export function createLog(logger: Logger | false): Log {
  if (logger === false) return silent
  const prefix = 'graceful-lifecycle:'
  if (isStructured(logger)) {
    return {
      info: (message, fields) => logger.info({ ...fields }, `${prefix} ${message}`),
      warn: (message, fields) => logger.warn({ ...fields }, `${prefix} ${message}`),
      error: (message, error, fields) => logger.error({ ...fields, err: error }, `${prefix} ${message}`),
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
    error: (message, error, fields) =>
      logger.error(withFields(message, fields), error instanceof Error ? error : serializeError(error)),
    report: (report) => {
      const text = formatConsoleReport(report, logger)
      if (report.ok) logger.info(text)
      else logger.error(text)
    },
  }
}
