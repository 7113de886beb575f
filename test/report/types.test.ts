import { describe, expectTypeOf, test } from 'vitest'
// The renderers behind the report's methods (the root entry exports the methods, not these).
import { formatHTML, formatTimeline, formatTrace } from '../../src/core/report/index.js'
import type { ShutdownReport } from '../../src/index.js'
import { type InstrumentOptions, instrumentLifecycle } from '../../src/otel/index.js'
import {
  formatPrometheus,
  reportFromJSON,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from '../../src/report/index.js'

describe('types of the report outputs', () => {
  test('every ShutdownReport has the renderers, typed', () => {
    expectTypeOf<ShutdownReport['toHTML']>().toEqualTypeOf<() => string>()
    expectTypeOf<ShutdownReport['toTrace']>().toEqualTypeOf<() => TraceFile>()
    expectTypeOf<ShutdownReport['toTimeline']>().parameter(0).toEqualTypeOf<TimelineOptions | undefined>()
    expectTypeOf<TraceFile['traceEvents']>().toEqualTypeOf<readonly TraceEvent[]>()
    expectTypeOf(formatHTML).parameter(0).toEqualTypeOf<ShutdownReport>()
    expectTypeOf(formatTrace).returns.toEqualTypeOf<TraceFile>()
    expectTypeOf(formatPrometheus).returns.toEqualTypeOf<string>()
    expectTypeOf(formatTimeline).parameter(1).toEqualTypeOf<number | TimelineOptions | undefined>()
    expectTypeOf(reportFromJSON).returns.toMatchTypeOf<ShutdownReport>()
  })

  test('instrumentLifecycle returns its undo', () => {
    expectTypeOf(instrumentLifecycle).returns.toEqualTypeOf<() => void>()
    expectTypeOf<InstrumentOptions['flush']>().toEqualTypeOf<
      readonly { forceFlush(): Promise<unknown> }[] | undefined
    >()
  })
})
