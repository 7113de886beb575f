/**
 * OpenTelemetry for a lifecycle: a span per start and per stop, child spans per phase and hook,
 * and duration metrics, built on the lifecycle's public events. `@opentelemetry/api` is an optional
 * peer dependency, loaded only when {@link instrumentLifecycle} is called.
 *
 * @module
 */
import type { Meter, Tracer } from '@opentelemetry/api'
import type { Lifecycle } from '../core/lifecycle.js'
import { Priority } from '../core/priority.js'
import { untilAborted } from '../core/until-aborted.js'
import {
  checkFunction,
  checkKeys,
  checkPositiveDuration,
  fail,
  readOptions,
  whileReading,
} from '../core/validate.js'
import { loadApi } from './api.js'
import { Recorder } from './recorder.js'

const OPTION_KEYS = ['tracer', 'meter', 'flush', 'flushPriority', 'flushTimeout']

/**
 * Something whose buffered telemetry can be sent now: a tracer or meter provider, an SDK.
 *
 * @example
 * ```ts
 * const flush: Flushable[] = [tracerProvider, meterProvider]
 * ```
 */
export interface Flushable {
  forceFlush(): Promise<unknown>
}

/**
 * Options of {@link instrumentLifecycle}.
 *
 * @example
 * ```ts
 * instrumentLifecycle(lifecycle, { tracer, meter, flush: [tracerProvider], flushTimeout: 2_000 })
 * ```
 */
export interface InstrumentOptions {
  /** @default trace.getTracer('graceful-lifecycle') (the global provider) */
  readonly tracer?: Tracer
  /** @default metrics.getMeter('graceful-lifecycle') (the global provider) */
  readonly meter?: Meter
  /**
   * Flushed by a stop hook (`otel`) in the TELEMETRY phase, after the stop's other hooks: the stop's
   * spans are ended there and sent before the process exits. Give your tracer and meter providers
   * (or the NodeSDK). Without it, spans wait for the exporter's next batch, which an exiting
   * process never sends.
   */
  readonly flush?: readonly Flushable[]
  /** The priority of that flush hook. @default Priority.TELEMETRY */
  readonly flushPriority?: number
  /** The flush hook's budget in ms. @default the lifecycle's `hookTimeout` */
  readonly flushTimeout?: number
}

const WHERE = '`instrumentLifecycle()`'

function checkOptions(lifecycle: unknown, options: unknown): InstrumentOptions {
  if (
    lifecycle === null ||
    typeof lifecycle !== 'object' ||
    typeof (lifecycle as { on?: unknown }).on !== 'function' ||
    typeof (lifecycle as { register?: unknown }).register !== 'function'
  ) {
    fail(WHERE, 'lifecycle', 'a Lifecycle', lifecycle)
  }
  if (options === undefined) return {}
  const copy = readOptions(WHERE, 'options', options, OPTION_KEYS) as InstrumentOptions
  checkKeys(WHERE, 'options', copy, OPTION_KEYS)
  const { tracer, meter, flush, flushPriority, flushTimeout } = copy
  if (tracer !== undefined) checkFunction(WHERE, 'tracer.startSpan', (tracer as Partial<Tracer>).startSpan)
  if (meter !== undefined)
    checkFunction(WHERE, 'meter.createHistogram', (meter as Partial<Meter>).createHistogram)
  if (flush !== undefined) {
    if (!Array.isArray(flush)) fail(WHERE, 'flush', 'an array of providers with forceFlush()', flush)
    flush.forEach((item: unknown, index) => {
      if (typeof (item as Partial<Flushable> | null)?.forceFlush !== 'function') {
        fail(WHERE, `flush[${index}]`, 'an object with a forceFlush() method', item)
      }
    })
  }
  if (flushPriority !== undefined && (typeof flushPriority !== 'number' || !Number.isFinite(flushPriority))) {
    fail(WHERE, 'flushPriority', 'a finite number', flushPriority)
  }
  if (flushTimeout !== undefined) checkPositiveDuration(WHERE, 'flushTimeout', flushTimeout)
  return copy
}

/**
 * Records the lifecycle's starts and stops with OpenTelemetry. Spans: `graceful-lifecycle start` and
 * `graceful-lifecycle stop` (reason, ok, duration), a child per phase (`phase INGRESS`), a child of
 * that per hook (`hook http`: status, budget, how far over, each detail; errors recorded, status
 * ERROR when a hook failed or timed out). Metrics (histograms, ms): `graceful_lifecycle.stop.duration`,
 * `graceful_lifecycle.start.duration`, `graceful_lifecycle.hook.duration`. Returns the undo.
 *
 * @example
 * ```ts
 * import { instrumentLifecycle } from 'graceful-lifecycle/otel'
 *
 * const tracerProvider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] })
 * tracerProvider.register()
 * instrumentLifecycle(lifecycle, { flush: [tracerProvider, meterProvider] })
 * lifecycle.handleSignals()
 * ```
 */
export function instrumentLifecycle(lifecycle: Lifecycle, options?: InstrumentOptions): () => void {
  const { tracer, meter, flush, flushPriority, flushTimeout } = whileReading(WHERE, 'arguments', () =>
    checkOptions(lifecycle, options),
  )
  const api = loadApi()
  const recorder = new Recorder(
    api,
    tracer ?? api.trace.getTracer('graceful-lifecycle'),
    meter ?? api.metrics.getMeter('graceful-lifecycle'),
  )
  const undo = recorder.listen(lifecycle)
  let unregister: (() => void) | undefined
  if (flush !== undefined && flush.length > 0) {
    unregister = lifecycle.register({
      name: 'otel',
      priority: flushPriority ?? Priority.TELEMETRY,
      ...(flushTimeout === undefined ? {} : { timeout: flushTimeout }),
      stop: async ({ signal, details }) => {
        await recorder.endStopEarly('otel', signal)
        const flushed = Promise.all(flush.map((provider) => provider.forceFlush()))
        await untilAborted(flushed, signal)
        details.flushed = flush.length
      },
    })
  }
  return () => {
    undo()
    unregister?.()
  }
}
