import { Report } from '../core/report/report.js'
import type { HookReport, HookStatus, PhaseReport, StopReason } from '../core/types.js'

// What the default console logger prints at the end of a stop (src/core/report/console.ts): the
// headline, the timeline, then the table. The table holds every number a page draws, so it is read
// back; the timeline is only a drawing of it. Whatever a log shipper puts before each line
// (a timestamp, a container name) is cut at the column where the headline and the table begin.

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')
const HEADLINE = /graceful-lifecycle: stopped in (-?[\d.]+) ms \((.*)\): (ok|NOT OK)\s*$/
const HEADER = /^phase {2,}hook {2,}status {2,}start {2,}duration {2,}details/
const MS = String.raw`-?[\d.]+ ms`
/** What follows the hook and status cells: start, duration, and the budget when there is one. */
const NUMBERS = new RegExp(String.raw`^\s*(${MS})\s+(${MS})(?: / (${MS}))?\s*$`)
const STATUSES: readonly HookStatus[] = ['ok', 'error', 'timeout', 'skipped']

function milliseconds(cell: string): number {
  return Number.parseFloat(cell)
}

function reason(text: string): StopReason {
  if (text === 'manual' || text === 'disposed') return { type: text }
  const signal = /^signal (\w+)$/.exec(text)
  if (signal) return { type: 'signal', signal: signal[1] as NodeJS.Signals }
  const error = /^error: (.*)$/.exec(text)
  return { type: 'error', error: new Error(error ? unquoted(error[1] ?? '') : text) }
}

/** `start INGRESS (200)`, `priority 42`, `DB (10)`. */
function phaseOf(label: string): Omit<PhaseReport, 'startMs' | 'durationMs' | 'hooks'> {
  const kind = label.startsWith('start ') ? 'start' : 'stop'
  const rest = kind === 'start' ? label.slice('start '.length) : label
  const bare = /^priority (-?\d+(?:\.\d+)?)$/.exec(rest)
  if (bare) return { kind, priority: Number(bare[1]) }
  const named = /^(.*) \((-?\d+(?:\.\d+)?)\)$/.exec(rest)
  if (named) return { kind, name: named[1] ?? '', priority: Number(named[2]) }
  return { kind, name: rest, priority: 0 }
}

/** A JSON string, as the table quotes a message, a key or a value that would not read back bare. */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`
const KEY = String.raw`(?:${QUOTED}|[^\s=;"]+)`
const FIELD = new RegExp(String.raw`(?:^| )(${KEY})=(${QUOTED}|\{.*?\}|\[.*?\]|\S+)(?= ${KEY}=|$)`, 'g')

/** A quoted cell's text, or the text itself. */
function unquoted(text: string): string {
  if (!text.startsWith('"')) return text
  try {
    return String(JSON.parse(text))
  } catch {
    return text
  }
}

/** `drained=3 closed={"idle":2} exit="returned before the stop"` back into fields; undefined when the text is not fields. */
function detailsOf(text: string): Record<string, unknown> | undefined {
  const pairs = [...text.matchAll(FIELD)]
  if (pairs.length === 0 || pairs.map((pair) => pair[0]).join('') !== text) return undefined
  return Object.fromEntries(
    pairs.map(([, key = '', value = '']) => {
      try {
        return [unquoted(key), JSON.parse(value)]
      } catch {
        return [unquoted(key), value]
      }
    }),
  )
}

/**
 * The details cell: the error (or why it never ran; quoted when it holds a line break or `; `), how
 * far over budget, then its fields. A part that is not fields (a log from before the quoting) stays
 * with the message of a hook that failed.
 */
function hookDetails(
  status: HookStatus,
  text: string,
): Pick<HookReport, 'error' | 'details'> & { overMs?: number } {
  let rest = text
  let message: string | undefined
  if (status !== 'ok' && rest !== '') {
    const quoted = new RegExp(`^${QUOTED}(?=; |$)`).exec(rest)
    const end = quoted ? quoted[0].length : rest.indexOf('; ') === -1 ? rest.length : rest.indexOf('; ')
    message = unquoted(rest.slice(0, end))
    rest = rest.slice(end).replace(/^; /, '')
  }
  const over = /^([\d.]+) ms over its budget(?:; |$)/.exec(rest)
  if (over) rest = rest.slice(over[0].length)
  const details = rest === '' ? undefined : detailsOf(rest)
  if (details === undefined && rest !== '' && message !== undefined) message = `${message}; ${rest}`
  const error =
    message === undefined || (status === 'skipped' && message === 'never ran') ? undefined : message
  return {
    ...(error === undefined ? {} : { error: new Error(error) }),
    ...(details === undefined ? {} : { details }),
    ...(over ? { overMs: Number(over[1]) } : {}),
  }
}

/** The table's rows, from the line after its header, cut at the header's columns. */
function readTable(lines: readonly string[], header: string, indent: number): PhaseReport[] {
  const hookAt = header.indexOf('hook')
  const statusAt = header.indexOf('status')
  const detailsAt = header.indexOf('details')
  const phases: PhaseReport[] = []
  for (const raw of lines) {
    const line = raw.slice(indent)
    const numbers = NUMBERS.exec(line.slice(statusAt, detailsAt).replace(/^\S+/, ''))
    const statusCell = line.slice(statusAt, detailsAt).trim().split(/\s+/)[0] ?? ''
    if (line.slice(0, hookAt).trim() !== '') {
      // A phase row: its label, no hook, no status, then its start and duration.
      const times = NUMBERS.exec(line.slice(hookAt, detailsAt))
      if (!times) break
      phases.push({
        ...phaseOf(line.slice(0, hookAt).trim()),
        startMs: milliseconds(times[1] ?? ''),
        durationMs: milliseconds(times[2] ?? ''),
        hooks: [],
      })
      continue
    }
    const phase = phases.at(-1)
    const status = statusCell as HookStatus
    if (!phase || !numbers || !STATUSES.includes(status)) break
    const budget = numbers[3] === undefined ? undefined : milliseconds(numbers[3])
    const { overMs, ...rest } = hookDetails(status, line.slice(detailsAt).trim())
    ;(phase.hooks as HookReport[]).push({
      name: line.slice(hookAt, statusAt).trim(),
      priority: phase.priority,
      status,
      startMs: milliseconds(numbers[1] ?? ''),
      // `301 ms` of a 300 ms budget, `0.6 ms over its budget`: the overrun as printed is the finer figure.
      durationMs:
        overMs !== undefined && budget !== undefined ? budget + overMs : milliseconds(numbers[2] ?? ''),
      ...(budget === undefined ? {} : { budgetMs: budget }),
      ...rest,
    })
  }
  return phases
}

/**
 * @internal The last stop the default console logger printed in `text`, or undefined when it holds
 * none. The console prints no clock: the report begins at `endedBy` less its duration (the time
 * the log was last written, as near as the reader knows). Numbers are as printed (rounded).
 */
export function reportFromConsole(text: string, endedBy: number): Report | undefined {
  const lines = text.replace(ANSI, '').split('\n')
  for (let at = lines.length - 1; at >= 0; at--) {
    const headline = HEADLINE.exec(lines[at] ?? '')
    if (!headline) continue
    const indent = headline.index
    const headerAt = lines.findIndex((line, index) => index > at && HEADER.test(line.slice(indent)))
    if (headerAt === -1) continue
    const header = (lines[headerAt] ?? '').slice(indent)
    const phases = readTable(lines.slice(headerAt + 1), header, indent)
    const durationMs = milliseconds(headline[1] ?? '')
    return new Report(
      reason(headline[2] ?? ''),
      endedBy - durationMs,
      durationMs,
      phases,
      headline[3] === 'ok',
    )
  }
  return undefined
}
