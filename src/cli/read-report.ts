import { readFileSync, statSync } from 'node:fs'
import { InvalidArgumentError } from '../core/errors.js'
import type { Report } from '../core/report/index.js'
import { reportFromJSON } from '../core/report/index.js'
import { reportFromConsole } from './read-console.js'

/**
 * @internal The report in a file: a saved `report.toJSON()`, a pino record with a `report` field, a
 * whole newline-delimited log, or what the default console logger printed; of a log, the last stop
 * is taken. `-` reads standard input.
 */
export function readReport(path: string): Report {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8')
  try {
    return reportFromJSON(JSON.parse(text))
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
  }
  // Not one JSON document: a log, one record a line. The last record that holds a report wins.
  const lines = text.split('\n').reverse()
  for (const line of lines) {
    if (!line.includes('"phases"')) continue
    try {
      return reportFromJSON(JSON.parse(line))
    } catch {}
  }
  // The default console logger's output: the headline and the table it prints at the end of a stop.
  const printed = reportFromConsole(text, path === '-' ? Date.now() : statSync(path).mtimeMs)
  if (printed) return printed
  throw new InvalidArgumentError(
    `${path} holds no report: expected a report's JSON, a pino log with a \`report\` field, or the console logger's output of a stop (its "graceful-lifecycle: stopped in" line and the table beneath)`,
  )
}
