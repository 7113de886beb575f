import { Writable } from 'node:stream'
import pino from 'pino'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { Lifecycle, Priority, type ShutdownReport } from '../../src/index.js'
import { settle } from './helpers.js'

const consoleLike = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() })

/** A real pino logger writing newline-delimited JSON into an array. */
function capturedPino(): { logger: pino.Logger; records: () => Record<string, unknown>[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      callback()
    },
  })
  const logger = pino({ level: 'debug' }, stream)
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

function register(lifecycle: Lifecycle, fail = false): void {
  lifecycle.onStop(
    'http',
    ({ details }) => {
      details.drained = 2
    },
    { priority: Priority.INGRESS },
  )
  lifecycle.onStop(
    'db',
    () => {
      if (fail) throw new Error('pool.end failed')
    },
    { priority: Priority.RESOURCES },
  )
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('logger', () => {
  test('a console-style logger gets the readable table at the end of a clean stop', async () => {
    const logger = consoleLike()
    const lifecycle = new Lifecycle({ logger })
    register(lifecycle)
    const report = await lifecycle.stop()
    // One line per phase as it begins (issue 8), then the table.
    expect(logger.info).toHaveBeenCalledTimes(report.phases.length + 1)
    expect(logger.error).not.toHaveBeenCalled()
    const [text] = logger.info.mock.calls.at(-1) ?? []
    // The headline, the timeline (plain: this logger is not a TTY), then the table's rows.
    const [headline, ...rows] = report.toString().split('\n')
    expect(String(text).split('\n')[0]).toBe(headline)
    expect(text).toContain(rows.join('\n'))
    expect(text).toMatch(/^http +\|[ █┆]+\|/m)
    expect(text).not.toContain('\u001b[')
    expect(text).toContain('INGRESS (200)')
    expect(text).toContain('RESOURCES (-100)')
    expect(text).toMatch(/http\s+ok/)
    expect(text).toContain('drained=2')
  })

  test('a console-style logger gets the table as an error when the stop is not clean', async () => {
    const logger = consoleLike()
    const lifecycle = new Lifecycle({ logger })
    register(lifecycle, true)
    await settle(lifecycle.stop())
    expect(logger.error).toHaveBeenCalledTimes(1)
    expect(String(logger.error.mock.calls[0]?.[0])).toMatch(/NOT OK[\s\S]*db\s+error\s.*pool\.end failed/)
  })

  test('the real console is the default logger', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const lifecycle = new Lifecycle()
    register(lifecycle)
    const report = await lifecycle.stop()
    // A line per phase as it begins (issue 8), then the report.
    expect(info).toHaveBeenCalledTimes(report.phases.length + 1)
    expect(String(info.mock.calls.at(-1)?.[0])).toContain(report.toString().split('\n').slice(1).join('\n'))
  })

  test('a pino logger gets structured fields: the report as JSON, at info when ok', async () => {
    const { logger, records } = capturedPino()
    const lifecycle = new Lifecycle({ logger })
    register(lifecycle)
    const report = await lifecycle.stop()
    const record = records().find((r) => typeof r.msg === 'string' && r.msg.includes('stopped'))
    expect(record).toBeDefined()
    expect(record?.level).toBe(30)
    expect(record?.msg).toMatch(/^graceful-lifecycle: stopped in \d+ ms$/)
    expect(record?.report).toEqual(JSON.parse(JSON.stringify(report)))
    // Structured, not a table squeezed into the message.
    expect(String(record?.msg)).not.toContain('\n')
  })

  test('a pino logger gets the failed report at error level, with the error serialized', async () => {
    const { logger, records } = capturedPino()
    const lifecycle = new Lifecycle({ logger })
    register(lifecycle, true)
    const { error } = await settle(lifecycle.stop())
    const record = records().find((r) => String(r.msg).includes('stopped'))
    expect(record?.level).toBe(50)
    expect(record?.msg).toContain('(not ok)')
    const report = record?.report as ReturnType<ShutdownReport['toJSON']>
    expect(report.ok).toBe(false)
    const db = report.phases.flatMap((phase) => phase.hooks).find((hook) => hook.name === 'db')
    expect(db?.error).toEqual({ name: 'Error', message: 'pool.end failed' })
    expect(error).toBeDefined()
  })

  test('a pino logger gets warnings as structured records too', async () => {
    const { logger, records } = capturedPino()
    const lifecycle = new Lifecycle({ logger, timeout: 1_000 })
    lifecycle.onStop('slow', () => {}, { timeout: 5_000 })
    const warning = records().find((r) => r.level === 40)
    expect(String(warning?.msg)).toMatch(/^graceful-lifecycle: .*`slow`/)
  })

  test('logger: false is silent, whatever happens', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    )
    const writes = vi.spyOn(process.stdout, 'write')
    const errorWrites = vi.spyOn(process.stderr, 'write')
    const lifecycle = new Lifecycle({ logger: false, timeout: 1_000, gracePeriod: 500 })
    lifecycle.onStop('slow', () => {}, { timeout: 5_000 })
    lifecycle.onStop('bad', () => {
      throw new Error('bad')
    })
    void lifecycle.track(Promise.reject(new Error('tracked')))
    await settle(lifecycle.stop())
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    expect(writes).not.toHaveBeenCalled()
    expect(errorWrites).not.toHaveBeenCalled()
  })
})
