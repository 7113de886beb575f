import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
// The renderers behind the report's methods (the root entry exports the methods, not these).
import { formatTimeline, shouldColor } from '../../src/core/report/index.js'
import { Lifecycle } from '../../src/index.js'
import { defined, settle, sleep } from '../core/helpers.js'
import { spawnAsync } from '../core/spawn.js'
import { interruptedStart, realReport } from './fixtures.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape is what is being looked for
const ANSI = /\u001b\[[\d;]*m/g
const strip = (text: string): string => text.replace(ANSI, '')
const bar = (line: string): string => defined(line.match(/\|(.*)\|/)?.[1], `bar in ${line}`)

describe('the terminal timeline', () => {
  test('a row per phase (━) with its hooks beneath it, all on one axis', async () => {
    const report = await realReport()
    const lines = report.toTimeline({ width: 60 }).split('\n')
    const labels = lines.slice(0, -1).map((line) => line.split(/\s+\|/)[0]?.trim())
    expect(labels).toEqual([
      'DRAIN (300)',
      'readiness',
      'INGRESS (200)',
      'http',
      'ws',
      'RESOURCES (-100)',
      'db',
      'TELEMETRY (-200)',
      'metrics',
    ])
    for (const line of lines.slice(0, -1)) expect(bar(line)).toHaveLength(60)
    const phase = bar(defined(lines.find((line) => line.startsWith('INGRESS'))))
    expect(phase).toMatch(/^ *━+ *$/)
    // A hook's bar lies within its phase's span.
    const http = bar(defined(lines.find((line) => line.startsWith('http '))))
    expect(http.search(/[^ ]/)).toBeGreaterThanOrEqual(phase.search(/━/))
    const db = bar(defined(lines.find((line) => line.startsWith('db '))))
    expect(db.search(/[^ ]/)).toBeGreaterThan(http.search(/[^ ]/))
  })

  test('failures are highlighted: ░ bars and the status in capitals; ok hooks say ok', async () => {
    const lines = (await realReport()).toTimeline().split('\n')
    const line = (name: string) => defined(lines.find((l) => l.startsWith(`${name} `)))
    expect(line('http')).toMatch(/░.*\| .* TIMEOUT/)
    expect(line('db')).toMatch(/░.*\| .* ERROR$/)
    expect(line('ws')).toMatch(/█.*\| .* ok$/)
    expect(bar(line('ws'))).not.toContain('░')
  })

  test('a budget that ends inside the axis is marked ┆ at its place, and the budget is printed', () => {
    const lines = interruptedStart().toTimeline({ width: 48 }).split('\n')
    const line = (name: string) => defined(lines.find((l) => l.startsWith(`${name} `)))
    // Axis: -120 ms .. 120 ms over 48 columns, 5 ms a column.
    expect(bar(line('migrate')).indexOf('┆')).toBe(Math.floor((-120 + 100 + 120) / 5))
    expect(bar(line('http')).indexOf('┆')).toBe(Math.floor((30 + 80 + 120) / 5))
    expect(line('http')).toContain('+60 ms / 80 ms ok')
    expect(line('migrate')).toContain('TIMEOUT 50 ms over budget')
    // db's budget (1000 ms) ends after the axis: no marker, the number says it.
    expect(bar(line('db'))).not.toContain('┆')
    expect(line('db')).toContain('/ 1000 ms ERROR')
  })

  test('an interrupted start is drawn left of 0, where the stop began; the axis labels both ends', () => {
    const lines = interruptedStart().toTimeline({ width: 48 }).split('\n')
    const start = defined(lines.find((l) => l.startsWith('start DEFAULT (0)')))
    expect(bar(start).indexOf('━')).toBe(0)
    const zero = Math.floor(120 / 5)
    const http = bar(defined(lines.find((l) => l.startsWith('http '))))
    expect(http.indexOf('█')).toBe(Math.floor((30 + 120) / 5))
    // The moment the stop began, dotted down the rows that have nothing there.
    expect(bar(defined(lines.find((l) => l.startsWith('db ')))).charAt(zero)).toBe('┊')
    const axis = defined(lines.at(-1))
    expect(axis).toMatch(/-120 ms +0 +120 ms$/)
    // The axis's 0 stands under the column where the stop began.
    const row = defined(lines.find((l) => l.startsWith('db ')))
    expect(axis.indexOf(' 0 ') + 1).toBe(row.indexOf('|') + 1 + zero)
    const skipped = defined(lines.find((l) => l.startsWith('cache ')))
    expect(skipped).toMatch(/·\| .*SKIPPED$/)
  })

  test('colour only when asked: ANSI codes with color: true, none by default', async () => {
    const report = await realReport()
    const plain = report.toTimeline()
    expect(plain).not.toMatch(ANSI)
    const coloured = report.toTimeline({ color: true })
    expect(coloured).toMatch(ANSI)
    expect(coloured).toContain('\u001b[1;33mTIMEOUT') // a timeout in bold yellow
    expect(coloured).toContain('\u001b[1;31mERROR') // an error in bold red
    expect(strip(coloured)).toBe(plain)
    expect(formatTimeline(report, { width: 30, color: true })).toBe(
      report.toTimeline({ width: 30, color: true }),
    )
  })

  test('shouldColor: a TTY gets colour, a pipe does not, NO_COLOR wins, FORCE_COLOR forces', () => {
    const tty = { isTTY: true }
    expect(shouldColor(tty, {})).toBe(true)
    expect(shouldColor({ isTTY: false }, {})).toBe(false)
    expect(shouldColor(undefined, {})).toBe(false)
    expect(shouldColor(tty, { TERM: 'dumb' })).toBe(false)
    expect(shouldColor(tty, { NO_COLOR: '1' })).toBe(false)
    expect(shouldColor(tty, { NO_COLOR: '' })).toBe(true)
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
    expect(shouldColor(tty, { FORCE_COLOR: '0' })).toBe(false)
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false)
  })

  test('bad options are refused at the call', async () => {
    const report = await realReport()
    expect(() => report.toTimeline({ color: 'yes' as never })).toThrow(
      /Expected `color` of `toTimeline\(\)` to be a boolean, got `"yes"` \(string\)/,
    )
    expect(() => report.toTimeline(60 as never)).toThrow(/`options` of `toTimeline\(\)`/)
    expect(() => formatTimeline(report, { width: 2.5 })).toThrow(/`width` of `formatTimeline\(\)`/)
  })
})

/** Runs a stop in a child with the real console as its logger: what a user sees in a pipe. */
async function childStop(env: Record<string, string>): Promise<string> {
  const code = `
    import { Lifecycle } from './src/index.ts'
    const lifecycle = new Lifecycle()
    lifecycle.onStop('http', () => {})
    lifecycle.onStop('db', () => { throw new Error('boom') }, { priority: -100 })
    await lifecycle.stop().catch(() => {})
  `
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...rest } = process.env
  const result = await spawnAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: new URL('../..', import.meta.url),
    env: { ...rest, ...env },
  })
  return result.stdout + result.stderr
}

describe('what the console logger prints at the end of a stop', { timeout: 60_000 }, () => {
  test('the headline, the timeline, the table beneath; plain text into a pipe', async () => {
    const out = await childStop({})
    // The stop logs each phase as it begins (issue 8); the final report starts at its headline.
    const all = out.trim().split('\n')
    const lines = all.slice(all.findIndex((line) => line.startsWith('graceful-lifecycle: stopped in')))
    expect(lines[0]).toMatch(/^graceful-lifecycle: stopped in [\d.]+ ms \(manual\): NOT OK$/)
    expect(lines[1]).toMatch(/^DEFAULT \(0\) +\|[ ━]+\|/)
    expect(lines[2]).toMatch(/^http +\|[ █┆]+\| .* ok$/)
    const table = lines.findIndex((line) => /^phase\s+hook\s+status/.test(line))
    expect(table).toBeGreaterThan(lines.findIndex((line) => line.startsWith('db ')))
    expect(out).toMatch(/db\s+error\s.*boom/)
    expect(out).not.toMatch(ANSI)
  })

  test('in a real terminal (a pseudo-TTY from util-linux `script`) it is coloured; NO_COLOR keeps it plain', async () => {
    const inTty = async (env: Record<string, string>) => {
      const { NO_COLOR: _n, FORCE_COLOR: _f, ...rest } = process.env
      const code = `import { Lifecycle } from './src/index.ts'
        const lifecycle = new Lifecycle()
        lifecycle.onStop('http', () => {})
        await lifecycle.stop()`
      const file = join(mkdtempSync(join(tmpdir(), 'gl-tty-')), 'stop.mts')
      writeFileSync(
        file,
        code.replace('./src/index.ts', fileURLToPath(new URL('../../src/index.ts', import.meta.url))),
      )
      const result = await spawnAsync(
        'script',
        ['-qec', `${process.execPath} --import tsx ${file}`, '/dev/null'],
        {
          cwd: new URL('../..', import.meta.url),
          env: { ...rest, ...env },
        },
      )
      expect(result.error).toBeUndefined()
      return result.stdout
    }
    const coloured = await inTty({})
    expect(coloured).toMatch(/stopped in .* ok/)
    expect(coloured).toContain('\u001b[32m█')
    const plain = await inTty({ NO_COLOR: '1' })
    expect(plain).toMatch(/^http +\|[ █┆]+\| .* ok\r?$/m)
    expect(plain).not.toMatch(ANSI)
  })

  test('FORCE_COLOR colours it, NO_COLOR keeps it plain even then', async () => {
    expect(await childStop({ FORCE_COLOR: '1' })).toMatch(ANSI)
    expect(await childStop({ FORCE_COLOR: '1', NO_COLOR: '1' })).not.toMatch(ANSI)
  })
})

describe('a big phase in the log', () => {
  test('shows its failed and slowest hooks, counts the rest; the table beneath keeps every one', async () => {
    const lines: string[] = []
    const logger = {
      info: (text: string) => lines.push(text),
      warn() {},
      error: (text: string) => lines.push(text),
    }
    const lifecycle = new Lifecycle({ logger })
    for (let i = 0; i < 30; i++) {
      lifecycle.onStop(`hook-${i}`, i === 7 ? () => Promise.reject(new Error('seven')) : () => {})
    }
    lifecycle.onStop('slowest', () => sleep(20))
    await settle(lifecycle.stop())
    const text = lines.join('\n')
    const [timeline = '', table = ''] = text.split(/\n\n(?=phase\s)/)
    const drawn = timeline.split('\n').filter((line) => /^(hook-\d+|slowest) +\|/.test(line))
    expect(drawn).toHaveLength(20)
    expect(drawn.some((line) => line.startsWith('hook-7 ') && line.endsWith('ERROR'))).toBe(true)
    expect(drawn.some((line) => line.startsWith('slowest '))).toBe(true)
    expect(timeline).toContain('… 11 more hooks in this phase, all ok')
    expect(table.split('\n').filter((line) => /^\s+(hook-\d+|slowest)\s/.test(line))).toHaveLength(31)
  })
})
