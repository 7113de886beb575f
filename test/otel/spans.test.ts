import { SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { describe, expect, test } from 'vitest'
import { Priority } from '../../src/index.js'
import { instrumentLifecycle } from '../../src/otel/index.js'
import { deferred, never, quiet, settle, sleep } from '../core/helpers.js'
import { sdk } from './sdk.js'

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId
const idOf = (span: ReadableSpan): string => span.spanContext().spanId
const ms = (span: ReadableSpan): number => span.duration[0] * 1000 + span.duration[1] / 1e6

describe('graceful-lifecycle/otel: spans', () => {
  test('a stop is a span with a child per phase and a grandchild per hook, each with its outcome', async () => {
    const otel = sdk()
    const lifecycle = quiet({ hookTimeout: 2_000 })
    instrumentLifecycle(lifecycle, { tracer: otel.tracer, meter: otel.meter })
    lifecycle.onStop(
      'http',
      async ({ details }) => {
        details.drained = 3
        details.closed = { idle: 2 }
        await sleep(20)
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop(
      'consumer',
      ({ signal, details }) => {
        signal.addEventListener('abort', () => {
          details.handedBack = 4
        })
        return never()
      },
      { priority: Priority.WORKERS, timeout: 30 },
    )
    lifecycle.onStop(
      'db',
      () => {
        throw new Error('pool.end failed')
      },
      { priority: Priority.RESOURCES },
    )
    await settle(lifecycle.stop({ type: 'signal', signal: 'SIGTERM' }))

    const stop = otel.span('graceful-lifecycle stop')
    expect(parentOf(stop)).toBeUndefined()
    expect(stop.attributes).toMatchObject({
      'graceful_lifecycle.run': 'stop',
      'graceful_lifecycle.reason': 'signal',
      'graceful_lifecycle.signal': 'SIGTERM',
      'graceful_lifecycle.ok': false,
      'graceful_lifecycle.hooks.failed': ['consumer', 'db'],
    })
    expect(stop.status.code).toBe(SpanStatusCode.ERROR)
    const phases = otel.spans().filter((span) => span.name.startsWith('phase '))
    expect(phases.map((span) => span.name)).toEqual(['phase INGRESS', 'phase WORKERS', 'phase RESOURCES'])
    for (const phase of phases) expect(parentOf(phase)).toBe(idOf(stop))

    const http = otel.span('hook http')
    expect(parentOf(http)).toBe(idOf(otel.span('phase INGRESS')))
    expect(http.attributes).toMatchObject({
      'graceful_lifecycle.hook.name': 'http',
      'graceful_lifecycle.hook.status': 'ok',
      'graceful_lifecycle.hook.budget_ms': 2_000,
      'graceful_lifecycle.hook.details.drained': 3,
      'graceful_lifecycle.hook.details.closed': '{"idle":2}',
    })
    expect(http.status.code).toBe(SpanStatusCode.OK)
    expect(ms(http)).toBeGreaterThanOrEqual(15)

    const consumer = otel.span('hook consumer')
    expect(consumer.attributes).toMatchObject({
      'graceful_lifecycle.hook.status': 'timeout',
      'graceful_lifecycle.hook.budget_ms': 30,
      'graceful_lifecycle.hook.details.handedBack': 4,
    })
    expect(consumer.status).toMatchObject({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining('30 ms'),
    })
    expect(consumer.events.map((event) => event.name)).toEqual(['exception'])
    // The SDK names an exception by its `code` when it has one.
    expect(consumer.events[0]?.attributes).toMatchObject({
      'exception.type': 'GL_ERR_HOOK_TIMEOUT',
      'exception.message': expect.stringContaining('`consumer`'),
    })

    const db = otel.span('hook db')
    expect(db.status).toEqual({ code: SpanStatusCode.ERROR, message: 'pool.end failed' })
    expect(db.events[0]?.attributes).toMatchObject({ 'exception.message': 'pool.end failed' })
    expect(otel.span('phase RESOURCES').status.code).toBe(SpanStatusCode.ERROR)
    await otel.shutdown()
  })

  test('a clean start and stop: two root spans, status OK, start hooks under the start', async () => {
    const otel = sdk()
    const lifecycle = quiet()
    instrumentLifecycle(lifecycle, { tracer: otel.tracer, meter: otel.meter })
    lifecycle.register({ name: 'db', start: () => sleep(5), stop: () => {}, priority: Priority.RESOURCES })
    await lifecycle.start()
    await lifecycle.stop()
    const start = otel.span('graceful-lifecycle start')
    expect(start.status.code).toBe(SpanStatusCode.OK)
    expect(start.attributes).toMatchObject({
      'graceful_lifecycle.run': 'start',
      'graceful_lifecycle.ok': true,
    })
    const stop = otel.span('graceful-lifecycle stop')
    expect(stop.status.code).toBe(SpanStatusCode.OK)
    for (const [run, root] of [
      ['start', start],
      ['stop', stop],
    ] as const) {
      const of = (span: ReadableSpan) => span.attributes['graceful_lifecycle.run'] === run
      const phase = otel.spans().find((span) => span.name === 'phase RESOURCES' && of(span))
      const hook = otel.spans().find((span) => span.name === 'hook db' && of(span))
      expect(phase && parentOf(phase)).toBe(idOf(root))
      expect(hook && parentOf(hook)).toBe(phase && idOf(phase))
    }
    await otel.shutdown()
  })

  test('a start interrupted by a stop ends ERROR, interrupted; a skipped hook is a span that says so', async () => {
    const otel = sdk()
    const lifecycle = quiet()
    instrumentLifecycle(lifecycle, { tracer: otel.tracer, meter: otel.meter })
    const gate = deferred()
    const migrating = deferred()
    const draining = deferred()
    lifecycle.register({
      name: 'migrate',
      start: () => {
        migrating.resolve()
        return gate.promise
      },
      stop: () => {},
    })
    lifecycle.onStop(
      'http',
      () => {
        draining.resolve()
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('metrics', () => {}, { priority: Priority.TELEMETRY })
    const starting = settle(lifecycle.start())
    await migrating.promise
    const stopping = settle(lifecycle.stop({ type: 'signal', signal: 'SIGTERM' }))
    gate.resolve()
    await starting
    await draining.promise
    await settle(lifecycle.forceStop())
    await stopping
    const start = otel.span('graceful-lifecycle start')
    expect(start.status).toEqual({ code: SpanStatusCode.ERROR, message: 'interrupted by a stop' })
    expect(start.attributes['graceful_lifecycle.interrupted']).toBe(true)
    const metrics = otel.span('hook metrics')
    expect(metrics.attributes['graceful_lifecycle.hook.status']).toBe('skipped')
    expect(metrics.status.code).toBe(SpanStatusCode.UNSET)
    // http was forced; migrate (started, so stopped) and metrics were skipped by the force.
    expect(otel.span('graceful-lifecycle stop').attributes['graceful_lifecycle.hooks.failed']).toEqual([
      'http',
      'migrate',
      'metrics',
    ])
    await otel.shutdown()
  })

  test('the undo removes every listener: later stops record nothing', async () => {
    const otel = sdk()
    const lifecycle = quiet()
    const before = lifecycle.eventNames().map((name) => lifecycle.listenerCount(name))
    const undo = instrumentLifecycle(lifecycle, {
      tracer: otel.tracer,
      meter: otel.meter,
      flush: [otel.tracerProvider],
    })
    undo()
    expect(lifecycle.eventNames().map((name) => lifecycle.listenerCount(name))).toEqual(before)
    lifecycle.onStop('a', () => {})
    const report = await lifecycle.stop()
    expect(report.phases.flatMap((phase) => phase.hooks.map((hook) => hook.name))).toEqual(['a'])
    expect(otel.spans()).toEqual([])
    await otel.shutdown()
  })

  test('bad input is refused at the call', () => {
    const lifecycle = quiet()
    expect(() => instrumentLifecycle({} as never)).toThrow(
      /Expected `lifecycle` of `instrumentLifecycle\(\)` to be a Lifecycle/,
    )
    expect(() => instrumentLifecycle(lifecycle, { flush: [{}] as never })).toThrow(/`flush\[0\]`.*forceFlush/)
    expect(() => instrumentLifecycle(lifecycle, { flushTimeout: -1 })).toThrow(/`flushTimeout`/)
    expect(() => instrumentLifecycle(lifecycle, { tracr: {} } as never)).toThrow(/Unknown option `tracr`/)
    expect(() => instrumentLifecycle(lifecycle, { tracer: {} as never })).toThrow(/`tracer.startSpan`/)
  })
})
