import { describe, expect, test } from 'vitest'
// The renderers behind the report's methods (the root entry exports the methods, not these).
import { formatTable } from '../../src/core/report/index.js'
import { Priority, type ShutdownError } from '../../src/index.js'
import { deferred, defined, never, quiet, settle } from '../core/helpers.js'
import { interruptedStart, realReport } from './fixtures.js'

/** The table row of a hook: its second cell is the hook's name. */
const row = (table: string, name: string): string =>
  defined(
    table.split('\n').find((line) => line.split(/\s{2,}/)[1] === name),
    `row of ${name}`,
  )

describe('the report table (issue 8, item 5)', () => {
  test('after a forced stop, skipped hooks show their status and that they never ran, not `undefined`', async () => {
    const lifecycle = quiet()
    const draining = deferred()
    lifecycle.onStop(
      'http',
      () => {
        draining.resolve()
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    lifecycle.onStop('metrics', () => {}, { priority: Priority.TELEMETRY })
    const stopping = settle(lifecycle.stop())
    await draining.promise
    await settle(lifecycle.forceStop())
    const table = ((await stopping).error as ShutdownError).report.toString()
    expect(table).not.toContain('undefined')
    for (const name of ['db', 'metrics']) {
      expect(row(table, name)).toMatch(/\sskipped\s+-?\d+(\.\d)? ms\s+0\.0 ms\s+never ran$/)
    }
    expect(row(table, 'http')).toMatch(/\serror\s.*forced/i)
  })

  test('a timed-out hook keeps its details in the table, beside its error', async () => {
    const table = (await realReport()).toString()
    expect(row(table, 'http')).toMatch(/\stimeout\s.*did not settle.*; drained=3 destroyed=1$/)
  })

  test('every hook has a status, a start, a duration beside its budget, and details, whatever its status', () => {
    const report = interruptedStart()
    const table = formatTable(report)
    expect(table).not.toMatch(/undefined|NaN|null/)
    expect(row(table, 'migrate')).toMatch(
      /\stimeout\s+-120 ms\s+150 ms \/ 100 ms\s+`migrate` was abandoned; 50 ms over its budget$/,
    )
    expect(row(table, 'http')).toMatch(/\sok\s+30 ms\s+60 ms \/ 80 ms\s+drained=4$/)
    expect(row(table, 'db')).toMatch(/\serror\s+90 ms\s+30 ms \/ 1000 ms\s+pool\.end failed$/)
    expect(row(table, 'cache')).toMatch(/\sskipped\s+120 ms\s+0\.0 ms\s+never ran$/)
    expect(table).toContain('start DEFAULT (0)')
  })

  test('a hook that ran past its budget without a timer firing says how far over', () => {
    const report = interruptedStart()
    const hook = report.phases[0]?.hooks[0]
    expect(hook?.durationMs).toBeGreaterThan(defined(hook?.budgetMs))
    expect(report.toString()).toContain('50 ms over its budget')
  })
})
