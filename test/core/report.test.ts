import { describe, expect, test } from 'vitest'
import { formatTable, formatTimeline } from '../../src/core/report/index.js'
import {
  ErrorCode,
  Priority,
  ShutdownError,
  type ShutdownReport,
  type ShutdownReportJSON,
} from '../../src/index.js'
import { reportFromJSON } from '../../src/report/index.js'
import { defined, never, quiet, settle, sleep } from './helpers.js'

/** A stop with every kind of outcome: ok with details, error with a cause, a non-Error, a timeout. */
async function mixedReport(): Promise<ShutdownReport> {
  const lifecycle = quiet({ hookTimeout: 1_000 })
  lifecycle.onStop('readiness', () => {}, { priority: Priority.DRAIN })
  lifecycle.onStop(
    'http',
    async ({ details }) => {
      details.drained = 3
      details.closed = { idle: 2, active: 1 }
      await sleep(15)
    },
    { priority: Priority.INGRESS },
  )
  lifecycle.onStop(
    'consumer',
    ({ signal, details }) => {
      details.inFlight = 4
      // Updated in the abort listener, synchronously: the report copies details right after the abort.
      signal.addEventListener('abort', () => {
        details.handedBack = 4
      })
      return never()
    },
    { priority: Priority.WORKERS, timeout: 20 },
  )
  lifecycle.onStop(
    'db',
    () => {
      throw Object.assign(new Error('pool.end failed', { cause: new Error('ECONNRESET') }), {
        code: 'E_POOL',
      })
    },
    { priority: Priority.RESOURCES },
  )
  lifecycle.onStop(
    'metrics',
    () => {
      throw { reason: 'not an error' }
    },
    { priority: Priority.TELEMETRY },
  )
  lifecycle.onStop('in-between', () => {}, { priority: 42 })
  const { error } = await settle(lifecycle.stop({ type: 'signal', signal: 'SIGTERM' }))
  expect(error).toBeInstanceOf(ShutdownError)
  return (error as ShutdownError).report
}

describe('the ShutdownReport', () => {
  test('has exactly the fields DESIGN.md lists, at every level', async () => {
    const before = Date.now()
    const report = await mixedReport()
    expect(Object.keys(report).sort()).toEqual(['durationMs', 'ok', 'phases', 'reason', 'startedAt'])
    expect(report.reason).toEqual({ type: 'signal', signal: 'SIGTERM' })
    expect(report.ok).toBe(false)
    expect(report.startedAt).toBeGreaterThanOrEqual(before)
    expect(report.startedAt).toBeLessThanOrEqual(Date.now())
    expect(report.durationMs).toBeGreaterThanOrEqual(15 + 20)
    expect(report.phases.map((phase) => phase.priority)).toEqual([300, 200, 100, 42, -100, -200])
    for (const phase of report.phases) {
      const keys = [
        'durationMs',
        'hooks',
        'kind',
        'priority',
        'startMs',
        ...(phase.priority === 42 ? [] : ['name']),
      ]
      expect(Object.keys(phase).sort()).toEqual(keys.sort())
      for (const hook of phase.hooks) {
        const allowed = [
          'budgetMs',
          'durationMs',
          'details',
          'error',
          'name',
          'priority',
          'startMs',
          'status',
        ]
        expect(Object.keys(hook).every((key) => allowed.includes(key))).toBe(true)
        expect(Object.keys(hook)).toEqual(
          expect.arrayContaining(['name', 'priority', 'status', 'startMs', 'durationMs']),
        )
        expect(hook.priority).toBe(phase.priority)
        expect('error' in hook).toBe(hook.status !== 'ok')
      }
    }
    expect(report.phases.map((phase) => phase.name)).toEqual([
      'DRAIN',
      'INGRESS',
      'WORKERS',
      undefined,
      'RESOURCES',
      'TELEMETRY',
    ])
  })

  test('phases are in the order they ran, with offsets from the start of the stop', async () => {
    const report = await mixedReport()
    let previousEnd = 0
    for (const phase of report.phases) {
      expect(phase.startMs).toBeGreaterThanOrEqual(previousEnd - 0.001)
      for (const hook of phase.hooks) {
        expect(hook.startMs).toBeGreaterThanOrEqual(phase.startMs)
        expect(hook.startMs + hook.durationMs).toBeLessThanOrEqual(phase.startMs + phase.durationMs + 0.01)
      }
      previousEnd = phase.startMs + phase.durationMs
    }
    expect(previousEnd).toBeLessThanOrEqual(report.durationMs + 0.01)
    const http = defined(report.phases[1]?.hooks[0])
    expect(http.durationMs).toBeGreaterThanOrEqual(14)
  })

  test('details: what the hook added, including what its abort listener wrote at the timeout', async () => {
    const report = await mixedReport()
    const hooks = report.phases.flatMap((phase) => phase.hooks)
    expect(hooks.find((hook) => hook.name === 'http')?.details).toEqual({
      drained: 3,
      closed: { idle: 2, active: 1 },
    })
    expect(hooks.find((hook) => hook.name === 'consumer')?.details).toEqual({ inFlight: 4, handedBack: 4 })
    expect(hooks.find((hook) => hook.name === 'readiness')).not.toHaveProperty('details')
  })

  test('details written after a hook was abandoned do not change the report', async () => {
    const lifecycle = quiet()
    let late: Record<string, unknown> | undefined
    lifecycle.onStop(
      'abandoned',
      ({ details }) => {
        late = details
        details.before = 1
        return never()
      },
      { timeout: 10 },
    )
    const { error } = await settle(lifecycle.stop())
    defined(late).after = 2
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook?.details).toEqual({ before: 1 })
  })

  test('toString() is a table of every phase and hook with status and timings', async () => {
    const report = await mixedReport()
    const table = report.toString()
    expect(table).toBe(formatTable(report))
    expect(String(report)).toBe(table)
    const lines = table.split('\n')
    expect(lines[0]).toMatch(/stopped in \d+(\.\d)? ms \(signal SIGTERM\): NOT OK/)
    expect(lines[1]).toMatch(/^phase\s+hook\s+status\s+start\s+duration\s+details$/)
    for (const label of [
      'DRAIN (300)',
      'INGRESS (200)',
      'WORKERS (100)',
      'priority 42',
      'RESOURCES (-100)',
      'TELEMETRY (-200)',
    ]) {
      expect(table).toContain(label)
    }
    const row = (name: string) =>
      defined(
        lines.find((line) => line.includes(` ${name} `)),
        name,
      )
    expect(row('http')).toMatch(/ ok .* ms .* drained=3 closed=\{"idle":2,"active":1\}/)
    expect(row('consumer')).toMatch(/ timeout .*`consumer`/)
    expect(row('db')).toMatch(/ error .*pool\.end failed/)
    expect(row('metrics')).toMatch(/ error /)
    // One row per phase and per hook, plus the header and the column titles.
    expect(lines).toHaveLength(2 + 6 + 6)
  })

  test('an ok report says ok', async () => {
    const lifecycle = quiet()
    lifecycle.onStop('a', () => {})
    expect((await lifecycle.stop()).toString().split('\n')[0]).toMatch(/\(manual\): ok$/)
  })

  test('toTimeline() draws one bar per hook on a shared axis', async () => {
    const report = await mixedReport()
    const timeline = report.toTimeline({ width: 40 })
    expect(timeline).toBe(formatTimeline(report, 40))
    const lines = timeline.split('\n')
    // One row per phase (its span) and per hook, then the axis.
    expect(lines).toHaveLength(6 + 6 + 1)
    for (const name of ['readiness', 'http', 'consumer', 'in-between', 'db', 'metrics']) {
      const line = defined(
        lines.find((l) => l.startsWith(name)),
        name,
      )
      const bar = defined(line.match(/\|(.{40})\|/)?.[1], `bar of ${name}`)
      expect(bar).toMatch(/[█░]/)
    }
    // The long hooks' bars start later than the first hook's and are longer.
    const bar = (name: string) => defined(lines.find((l) => l.startsWith(name))?.match(/\|(.*)\|/)?.[1])
    expect(bar('http').trim().length).toBeGreaterThan(bar('readiness').trim().length)
    expect(bar('consumer').search(/\S/)).toBeGreaterThan(bar('readiness').search(/\S/))
    expect(bar('db')).toContain('░')
    expect(lines.at(-1)).toMatch(/0\s+\d+(\.\d)? ms$/)
    expect(report.toTimeline().split('\n')[0]).toMatch(/\|.{50}\|/)
  })

  test('JSON.stringify round-trips: stable, errors as { name, message, code, cause }, no stack', async () => {
    const report = await mixedReport()
    const json = JSON.stringify(report)
    expect(JSON.stringify(report)).toBe(json)
    expect(json).not.toContain('"stack"')
    expect(json).not.toContain('    at ')
    const parsed = JSON.parse(json)
    expect(parsed).toEqual(report.toJSON())
    expect(Object.keys(parsed)).toEqual(['reason', 'ok', 'startedAt', 'durationMs', 'phases'])
    expect(parsed.reason).toEqual({ type: 'signal', signal: 'SIGTERM' })
    expect(parsed.startedAt).toBe(report.startedAt)
    expect(parsed.durationMs).toBe(report.durationMs)

    const hooks = parsed.phases.flatMap((phase: { hooks: unknown[] }) => phase.hooks)
    const byName = (name: string) => hooks.find((hook: { name: string }) => hook.name === name)
    expect(Object.keys(byName('http'))).toEqual([
      'name',
      'priority',
      'status',
      'startMs',
      'durationMs',
      'budgetMs',
      'details',
    ])
    expect(byName('http').details).toEqual({ drained: 3, closed: { idle: 2, active: 1 } })
    expect(byName('db').error).toEqual({
      name: 'Error',
      message: 'pool.end failed',
      code: 'E_POOL',
      cause: { name: 'Error', message: 'ECONNRESET' },
    })
    expect(byName('consumer').error).toMatchObject({
      name: 'HookTimeoutError',
      code: ErrorCode.HOOK_TIMEOUT,
      hook: 'consumer',
      timeout: 20,
      phase: 'stop',
    })
    expect(byName('metrics').error).toMatchObject({
      name: 'NonErrorThrownError',
      code: ErrorCode.NOT_AN_ERROR,
      cause: { reason: 'not an error' },
    })
    // Every number and name survives: re-serializing the parsed copy gives the same text.
    expect(JSON.stringify(parsed)).toBe(json)
    // The phases and hooks as data are the same as the report's, apart from errors.
    const strip = (r: { phases: readonly { hooks: readonly object[] }[] }) =>
      r.phases.map((phase) => ({
        ...phase,
        hooks: phase.hooks.map(({ error: _e, ...rest }: { error?: unknown }) => rest),
      }))
    expect(strip(parsed)).toEqual(strip(report).map((phase) => JSON.parse(JSON.stringify(phase))))
  })

  test('details JSON cannot take (a BigInt, a cycle, a getter that throws) still serialize', async () => {
    const lifecycle = quiet()
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const shared = { n: 1 }
    lifecycle.onStop('bytes', ({ details }) => {
      details.bytes = 12n
      details.cyclic = cyclic
      details.twice = [shared, shared]
      details.odd = Object.defineProperty({ fine: true }, 'broken', {
        enumerable: true,
        get() {
          throw new Error('getter')
        },
      })
    })
    const report = await lifecycle.stop()
    // Before: `JSON.stringify(report)` threw ("Do not know how to serialize a BigInt"), in the
    // `stopped` listener the docs suggest for saving a report.
    const json = JSON.parse(JSON.stringify(report)) as ShutdownReportJSON
    expect(json.phases[0]?.hooks[0]?.details).toEqual({
      bytes: '12',
      cyclic: { name: 'loop', self: '[Circular]' },
      twice: [{ n: 1 }, { n: 1 }],
      odd: { fine: true, broken: '[unreadable value]' },
    })
    expect(String(reportFromJSON(json))).toContain('bytes="12"')
    // The report itself keeps what the hook wrote; only its JSON is a copy.
    expect(report.phases[0]?.hooks[0]?.details?.cyclic === cyclic).toBe(true)
    expect(report.toJSON().phases[0]?.hooks[0]?.details === report.phases[0]?.hooks[0]?.details).toBe(false)
  })

  test("an error's own fields JSON cannot take are copied as details are, not stringified whole", async () => {
    const lifecycle = quiet()
    const query: Record<string, unknown> = { text: 'select 1' }
    query.self = query
    const error = Object.assign(new Error('query failed'), { query, rows: 3n })
    lifecycle.onStop('db', () => {
      throw error
    })
    const { error: stopError } = await settle(lifecycle.stop())
    expect(stopError).toBeInstanceOf(ShutdownError)
    const report = (stopError as ShutdownError).report
    const json = JSON.parse(JSON.stringify(report)) as ShutdownReportJSON
    // Before: the whole field became `String(value)`, "[object Object]" for the query.
    expect(json.phases[0]?.hooks[0]?.error).toMatchObject({
      message: 'query failed',
      query: { text: 'select 1', self: '[Circular]' },
      rows: '3',
    })
  })

  test('an error reason is serialized too', async () => {
    const lifecycle = quiet()
    const report = await lifecycle.stop({ type: 'error', error: new RangeError('fatal') })
    expect(JSON.parse(JSON.stringify(report)).reason).toEqual({
      type: 'error',
      error: { name: 'RangeError', message: 'fatal' },
    })
    expect(report.reason).toEqual({ type: 'error', error: new RangeError('fatal') })
  })

  test('ShutdownError.report is the same report the stopped event carried', async () => {
    const lifecycle = quiet()
    let emitted: ShutdownReport | undefined
    lifecycle.on('stopped', (report) => {
      emitted = report
    })
    lifecycle.onStop('bad', () => Promise.reject(new Error('x')))
    const { error } = await settle(lifecycle.stop())
    expect((error as ShutdownError).report).toBe(emitted)
  })
})
