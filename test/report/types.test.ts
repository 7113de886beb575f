import { describe, expectTypeOf, test } from 'vitest'
import { formatTimeline } from '../../src/core/report/index.js'
import type { ShutdownReport } from '../../src/index.js'
import { type InstrumentOptions, instrumentLifecycle } from '../../src/otel/index.js'
import {
  formatHTML,
  formatPrometheus,
  formatTrace,
  reportFromJSON,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from '../../src/report/index.js'

describe('types of the report outputs', () => {
  test('every ShutdownReport prints its table and timeline; /report has the other printers, typed', () => {
    expectTypeOf<ShutdownReport>().not.toHaveProperty('toHTML')
    expectTypeOf<ShutdownReport>().not.toHaveProperty('toTrace')
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
