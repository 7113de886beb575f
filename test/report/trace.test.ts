import { describe, expect, test } from 'vitest'
// The renderers behind the report's methods (the root entry exports the methods, not these).
import { formatTrace } from '../../src/core/report/index.js'
import type { ShutdownReport } from '../../src/index.js'
import type { TraceEvent } from '../../src/report/index.js'
import { defined } from '../core/helpers.js'
import { interruptedStart, realReport } from './fixtures.js'

const METADATA = ['process_name', 'process_sort_index', 'thread_name', 'thread_sort_index']

/**
 * The Trace Event Format's rules (its JSON Object Format, as documented by the Chromium project and
 * read by Perfetto's JSON importer) that a trace of ours must keep.
 */
function checkFormat(trace: unknown): TraceEvent[] {
  expect(trace).toMatchObject({ traceEvents: expect.any(Array), displayTimeUnit: 'ms' })
  const events = (trace as { traceEvents: TraceEvent[] }).traceEvents
  for (const event of events) {
    expect(typeof event.name).toBe('string')
    expect(['X', 'M']).toContain(event.ph)
    expect(Number.isInteger(event.pid) && event.pid > 0).toBe(true)
    expect(Number.isInteger(event.tid) && event.tid >= 0).toBe(true)
    expect(Number.isFinite(event.ts)).toBe(true)
    if (event.cat !== undefined) expect(event.cat).toMatch(/^[\w-]+(,[\w-]+)*$/)
    if (event.args !== undefined) expect(event.args).toBeTypeOf('object')
    if (event.ph === 'X') {
      expect(Number.isFinite(event.dur) && (event.dur as number) >= 0).toBe(true)
      expect(event.ts).toBeGreaterThan(0)
    } else {
      expect(METADATA).toContain(event.name)
      if (event.name.endsWith('_name')) expect(typeof event.args?.name).toBe('string')
      else expect(Number.isInteger(event.args?.sort_index)).toBe(true)
    }
  }
  // Complete events on one thread must nest: no two may overlap without one containing the other.
  const byThread = new Map<string, TraceEvent[]>()
  for (const event of events.filter((e) => e.ph === 'X')) {
    const key = `${event.pid}:${event.tid}`
    byThread.set(key, [...(byThread.get(key) ?? []), event])
  }
  for (const slices of byThread.values()) {
    const sorted = [...slices].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
    const open: number[] = []
    for (const slice of sorted) {
      while (open.length > 0 && (open.at(-1) as number) <= slice.ts) open.pop()
      const end = slice.ts + (slice.dur ?? 0)
      if (open.length > 0) expect(end).toBeLessThanOrEqual(open.at(-1) as number)
      open.push(end)
    }
  }
  // The file is JSON and survives a round trip unchanged.
  expect(JSON.parse(JSON.stringify(trace))).toEqual(trace)
  return events
}

function checkAgainst(report: ShutdownReport): void {
  const events = checkFormat(formatTrace(report))
  const processes = events.filter((event) => event.name === 'process_name')
  // One track per phase, named as the table names it, in the order the phases ran.
  expect(processes).toHaveLength(report.phases.length)
  report.phases.forEach((phase, index) => {
    const pid = defined(processes[index]).pid
    const slices = events.filter((event) => event.ph === 'X' && event.pid === pid)
    const phaseSlice = defined(slices.find((event) => event.tid === 0))
    expect(phaseSlice.cat).toBe('phase')
    expect(phaseSlice.ts).toBeCloseTo((report.startedAt + phase.startMs) * 1000, 0)
    expect(phaseSlice.dur).toBeCloseTo(phase.durationMs * 1000, 0)
    for (const hook of phase.hooks) {
      const thread = defined(
        events.find(
          (event) => event.name === 'thread_name' && event.pid === pid && event.args?.name === hook.name,
        ),
      )
      const slice = defined(slices.find((event) => event.tid === thread.tid))
      expect(slice.name).toBe(hook.name)
      expect(slice.cat).toBe(`hook,${hook.status}`)
      expect(slice.ts).toBeCloseTo((report.startedAt + hook.startMs) * 1000, 0)
      expect(slice.dur).toBeCloseTo(hook.durationMs * 1000, 0)
      expect(slice.args).toMatchObject({ status: hook.status, durationMs: hook.durationMs })
      if (hook.budgetMs !== undefined) expect(slice.args?.budgetMs).toBe(hook.budgetMs)
      if (hook.details !== undefined) expect(slice.args?.details).toEqual(hook.details)
      if (hook.status === 'error' || hook.status === 'timeout') expect(slice.args?.error).toBeTypeOf('string')
    }
  })
}

describe('formatTrace(report): Chrome trace events', () => {
  test('a real stop: every phase a track, every hook a slice with its status, budget and details', async () => {
    checkAgainst(await realReport())
  })

  test('an interrupted start: negative offsets still give positive epoch timestamps', () => {
    const report = interruptedStart()
    checkAgainst(report)
    const migrate = defined(formatTrace(report).traceEvents.find((event) => event.name === 'migrate'))
    expect(migrate.ts).toBe((1_700_000_000_000 - 120) * 1000)
    expect(migrate.args?.error).toBe('`migrate` was abandoned')
  })

  test('details that JSON cannot hold (a BigInt, a cycle) do not break the trace', () => {
    const report = interruptedStart()
    const cyclic: Record<string, unknown> = { n: 1 }
    cyclic.self = cyclic
    const http = report.phases[1]?.hooks[0] as { details?: Record<string, unknown> }
    http.details = { big: 10n }
    const ws = report.phases[1]?.hooks[1] as { details?: Record<string, unknown> }
    ws.details = cyclic
    const events = checkFormat(formatTrace(report))
    expect(events.find((event) => event.name === 'http')?.args?.details).toEqual({ big: '10' })
    expect(events.find((event) => event.name === 'ws')?.args?.details).toHaveProperty('unserializable')
  })
})
