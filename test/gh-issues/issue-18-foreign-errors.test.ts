import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, test } from 'vitest'
import { serializeError } from '../../src/core/report/index.js'
import { Lifecycle, Priority, ShutdownError } from '../../src/index.js'
import { instrumentLifecycle } from '../../src/otel/index.js'
import { settle } from '../core/helpers.js'
import { sdk } from '../otel/sdk.js'

/** An Error whose `message` getter throws: what a buggy library's error class can look like. */
function unreadable(): Error {
  const error = new Error('placeholder')
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('message getter exploded')
    },
  })
  return error
}

function nullPrototype(): object {
  const value = Object.create(null) as Record<string, unknown>
  value.reason = 'no prototype'
  return value
}

function textLogger() {
  const lines: string[] = []
  const write = (...args: unknown[]) => void lines.push(args.map((arg) => String(arg)).join(' '))
  return { logger: { info: write, warn: write, error: write }, lines }
}

function pinoLogger() {
  const records: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      records.push(String(chunk))
      callback()
    },
  })
  return { logger: pino(stream), records }
}

function failing(lifecycle: Lifecycle, thrown: unknown): void {
  lifecycle.onStop('http', () => {}, { priority: Priority.INGRESS })
  lifecycle.onStop(
    'db',
    () => {
      throw thrown
    },
    { priority: Priority.RESOURCES },
  )
}

describe('issue 18.3: a hook error that cannot be read does not break the stop', () => {
  test('an Error whose message getter throws: ShutdownError with .report, JSON works, the table is logged', async () => {
    const { logger, lines } = textLogger()
    const lifecycle = new Lifecycle({ logger })
    failing(lifecycle, unreadable())
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    const report = (error as ShutdownError).report
    expect(report.ok).toBe(false)
    const json = JSON.parse(JSON.stringify(report)) as {
      phases: { hooks: { name: string; error?: unknown }[] }[]
    }
    const db = json.phases.flatMap((phase) => phase.hooks).find((hook) => hook.name === 'db')
    expect(db?.error).toMatchObject({ name: 'Error', message: expect.stringContaining('could not be read') })
    const table = lines.join('\n')
    expect(table).toMatch(/db\s+error/)
    expect(table).toContain('message getter exploded')
    expect(String(report)).toMatch(/db\s+error/)
  })

  test('a null-prototype object thrown by a hook: the report, the table and the JSON all work', async () => {
    const { logger, lines } = textLogger()
    const lifecycle = new Lifecycle({ logger })
    failing(lifecycle, nullPrototype())
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    expect(JSON.stringify((error as ShutdownError).report)).toContain('no prototype')
    expect(lines.join('\n')).toMatch(/db\s+error/)
  })

  test('pino: the report record and the error record are written', async () => {
    const { logger, records } = pinoLogger()
    const lifecycle = new Lifecycle({ logger })
    failing(lifecycle, unreadable())
    // A `stopping` listener that throws makes the lifecycle log the error through pino's `err`.
    lifecycle.on('stopping', () => {
      throw unreadable()
    })
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    const parsed = records.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(parsed.some((record) => String(record.msg).includes('listener threw'))).toBe(true)
    expect(parsed.some((record) => record.report !== undefined)).toBe(true)
  })

  test('serializeError() and OTel read it without throwing', async () => {
    expect(serializeError(unreadable())).toMatchObject({ name: 'Error' })
    const bigint = Object.assign(new Error('with a bigint'), { amount: 10n })
    expect(() => JSON.stringify(serializeError(bigint))).not.toThrow()
    const otel = sdk()
    const lifecycle = new Lifecycle({ logger: false })
    instrumentLifecycle(lifecycle, { tracer: otel.tracer, meter: otel.meter })
    failing(lifecycle, unreadable())
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    expect(otel.span('hook db').status.message).toContain('could not be read')
  })
})
