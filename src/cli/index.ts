#!/usr/bin/env node
/**
 * `graceful-lifecycle view report.json [--open] [-o out.html]`: a stop's report as a page.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { errorMessage } from '../core/foreign.js'
import { formatHTML, formatTrace, shouldColor } from '../core/report/index.js'
import { readReport } from './read-report.js'

const USAGE = `Usage: graceful-lifecycle <command> <report.json|log|-> [options]

Commands:
  view      write the report as a self-contained HTML page (default: beside the input, .html)
  trace     write it as Chrome trace events, for ui.perfetto.dev or chrome://tracing (.trace.json)
  timeline  print the terminal timeline and the table

Options:
  -o, --output <file>  where to write (- for standard output)
      --open           open the page in the browser ($BROWSER, else xdg-open / open / start)
  -w, --width <cols>   width of the timeline's axis (timeline)
  -h, --help           this text

The input is a saved report.toJSON(), a pino record with a "report" field, or a whole log:
pino's, or what the default console logger printed (the last stop in it is taken).`

/** @internal Exit codes: 0 done, 1 the input could not be read, 2 the command line was wrong. */
export function main(argv: readonly string[]): number {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    process.stderr.write(`graceful-lifecycle: ${errorMessage(error, false)}\n\n${USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const [command, input, ...rest] = positionals
  if (command === undefined || input === undefined || rest.length > 0 || !COMMANDS.includes(command)) {
    const problem =
      command === undefined
        ? 'no command given'
        : !COMMANDS.includes(command)
          ? `unknown command \`${command}\``
          : input === undefined
            ? 'no report file given'
            : `unexpected argument \`${rest[0]}\``
    process.stderr.write(`graceful-lifecycle: ${problem}\n\n${USAGE}\n`)
    return 2
  }
  let width: number | undefined
  if (values.width !== undefined) {
    width = Number(values.width)
    if (!Number.isInteger(width) || width < 1) {
      process.stderr.write(
        `graceful-lifecycle: --width must be a positive integer, got \`${values.width}\`\n`,
      )
      return 2
    }
  }
  let report: ReturnType<typeof readReport>
  try {
    report = readReport(input)
  } catch (error) {
    process.stderr.write(`graceful-lifecycle: ${errorMessage(error, false)}\n`)
    return 1
  }
  if (command === 'timeline') {
    const color = shouldColor(process.stdout)
    process.stdout.write(
      `${report.toTimeline({ color, ...(width === undefined ? {} : { width }) })}\n\n${report}\n`,
    )
    return 0
  }
  const html = command === 'view'
  const text = html ? formatHTML(report) : `${JSON.stringify(formatTrace(report))}\n`
  const output = values.output ?? defaultOutput(input, html ? '.html' : '.trace.json')
  if (output === '-') {
    process.stdout.write(text)
  } else {
    writeFileSync(output, text)
    process.stderr.write(`graceful-lifecycle: wrote ${output}\n`)
    if (values.open) open(resolve(output))
  }
  return 0
}

const COMMANDS = ['view', 'trace', 'timeline']

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      open: { type: 'boolean' },
      width: { type: 'string', short: 'w' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

function defaultOutput(input: string, extension: string): string {
  if (input === '-') return `report${extension}`
  return join(dirname(input), `${basename(input).replace(/\.(json|log|ndjson|jsonl)$/, '')}${extension}`)
}

/** Opens the page without waiting for the browser: the CLI's work is done. */
function open(file: string): void {
  const browser = process.env.BROWSER
  const [command, args] =
    browser !== undefined && browser !== ''
      ? [browser, [file]]
      : process.platform === 'darwin'
        ? ['open', [file]]
        : process.platform === 'win32'
          ? ['cmd', ['/c', 'start', '', file]]
          : ['xdg-open', [file]]
  const child = spawn(command, args, { detached: true, stdio: 'ignore' })
  child.on('error', (error) =>
    process.stderr.write(`graceful-lifecycle: could not open ${file}: ${error.message}\n`),
  )
  child.unref()
}

process.exitCode = main(process.argv.slice(2))
