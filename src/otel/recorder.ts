import type { Attributes, Histogram, Meter, Span, Tracer } from '@opentelemetry/api'
import { errorMessage, printableError } from '../core/foreign.js'
import type { Lifecycle } from '../core/lifecycle.js'
import type {
  HookReport,
  HookStartEvent,
  PhaseReport,
  PhaseStartEvent,
  RunKind,
  ShutdownReport,
  StopReason,
} from '../core/types.js'
import type { OtelApi } from './api.js'
import { hookAttributes, NS, phaseAttributes, reasonAttributes } from './attributes.js'

/** `SpanStatusCode` of the API, as numbers: the enum is a value, and the API is loaded lazily. */
const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const

interface Run {
  readonly span: Span
  readonly reason?: StopReason['type']
  readonly began: number
  ended: boolean
  /** Hooks that did not end ok, in the order they ended. */
  readonly failed: string[]
}

interface StartRun extends Run {
  openPhases: number
  interrupted: boolean
}

/**
 * @internal Turns a lifecycle's events into spans and histogram records. Spans are opened and ended
 * as the events arrive; the report's figures (status, budget, details) become their attributes.
 */
export class Recorder {
  readonly #api: OtelApi
  readonly #tracer: Tracer
  readonly #stopDuration: Histogram
  readonly #startDuration: Histogram
  readonly #hookDuration: Histogram
  #start: StartRun | undefined
  #stop: Run | undefined
  readonly #phases = new Map<string, { span: Span; hooks: readonly string[] }>()
  readonly #hooks = new Map<string, { span: Span; phase: string }>()
  /** Called after each `hook:end`: what an early end waits on. */
  #onHookEnd: (() => void) | undefined

  constructor(api: OtelApi, tracer: Tracer, meter: Meter) {
    this.#api = api
    this.#tracer = tracer
    this.#stopDuration = meter.createHistogram(`${NS}.stop.duration`, {
      description: 'How long a stop of the lifecycle took',
      unit: 'ms',
    })
    this.#startDuration = meter.createHistogram(`${NS}.start.duration`, {
      description: 'How long a start of the lifecycle took (until it was up, failed or was interrupted)',
      unit: 'ms',
    })
    this.#hookDuration = meter.createHistogram(`${NS}.hook.duration`, {
      description: 'How long one start or stop hook ran',
      unit: 'ms',
    })
  }

  listen(lifecycle: Lifecycle): () => void {
    const listeners = {
      starting: () => this.#starting(),
      started: () => this.#started(),
      stopping: (reason: StopReason) => this.#stopping(reason),
      'phase:start': (event: PhaseStartEvent) => this.#phaseStart(event),
      'hook:start': (event: HookStartEvent) => this.#hookStart(event),
      'hook:end': (hook: HookReport, kind: RunKind) => this.#hookEnd(hook, kind),
      'phase:end': (phase: PhaseReport, kind: RunKind) => this.#phaseEnd(phase, kind),
      stopped: (report: ShutdownReport) => this.#stopped(report),
    } as const
    for (const [event, listener] of Object.entries(listeners)) lifecycle.on(event as never, listener as never)
    return () => {
      for (const [event, listener] of Object.entries(listeners))
        lifecycle.off(event as never, listener as never)
    }
  }

  #run(kind: RunKind): Run | undefined {
    return kind === 'start' ? this.#start : this.#stop
  }

  #starting(): void {
    const span = this.#tracer.startSpan('graceful-lifecycle start', {
      attributes: { [`${NS}.run`]: 'start' },
    })
    this.#start = {
      span,
      began: performance.now(),
      ended: false,
      failed: [],
      openPhases: 0,
      interrupted: false,
    }
  }

  #started(): void {
    const start = this.#start
    if (!start || start.ended) return
    start.span.setStatus({ code: SpanStatusCode.OK })
    this.#endStart(start, true)
  }

  #endStart(start: StartRun, ok: boolean): void {
    start.ended = true
    const duration = performance.now() - start.began
    start.span.setAttributes({ [`${NS}.ok`]: ok, [`${NS}.duration_ms`]: Math.round(duration * 10) / 10 })
    start.span.end()
    this.#startDuration.record(duration, { [`${NS}.ok`]: ok, [`${NS}.interrupted`]: start.interrupted })
  }

  #stopping(reason: StopReason): void {
    const start = this.#start
    if (start && !start.ended) {
      // The start failed (the stop is its rollback) or a stop interrupted it: it did not come up.
      start.interrupted = start.failed.length === 0
      start.span.setAttribute(`${NS}.interrupted`, start.interrupted)
      start.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: start.interrupted ? 'interrupted by a stop' : `failed: ${start.failed.join(', ')}`,
      })
      if (start.openPhases === 0) this.#endStart(start, false)
    }
    const span = this.#tracer.startSpan('graceful-lifecycle stop', {
      attributes: { [`${NS}.run`]: 'stop', ...reasonAttributes(reason) },
    })
    this.#stop = { span, reason: reason.type, began: performance.now(), ended: false, failed: [] }
  }

  #phaseStart(event: PhaseStartEvent): void {
    const run = this.#run(event.kind)
    if (!run) return
    const parent = this.#api.trace.setSpan(this.#api.context.active(), run.span)
    const span = this.#tracer.startSpan(
      `phase ${event.name ?? event.priority}`,
      { attributes: { ...phaseAttributes(event), [`${NS}.phase.hooks`]: event.hooks.length } },
      parent,
    )
    this.#phases.set(`${event.kind}:${event.priority}`, { span, hooks: event.hooks })
    if (event.kind === 'start' && this.#start) this.#start.openPhases++
  }

  #hookStart(event: HookStartEvent): void {
    const phase = `${event.kind}:${event.priority}`
    const parent = this.#phases.get(phase)
    if (!parent) return
    const span = this.#tracer.startSpan(
      `hook ${event.name}`,
      { attributes: { [`${NS}.run`]: event.kind, [`${NS}.hook.name`]: event.name } },
      this.#api.trace.setSpan(this.#api.context.active(), parent.span),
    )
    this.#hooks.set(`${event.kind}:${event.name}`, { span, phase })
  }

  #hookEnd(hook: HookReport, kind: RunKind): void {
    const key = `${kind}:${hook.name}`
    const entry = this.#hooks.get(key)
    this.#hooks.delete(key)
    if (hook.status !== 'ok') this.#run(kind)?.failed.push(hook.name)
    this.#hookDuration.record(hook.durationMs, {
      [`${NS}.run`]: kind,
      [`${NS}.hook.name`]: hook.name,
      [`${NS}.hook.status`]: hook.status,
      [`${NS}.phase.priority`]: hook.priority,
    })
    if (entry) endHookSpan(entry.span, hook)
    this.#onHookEnd?.()
  }

  #phaseEnd(phase: PhaseReport, kind: RunKind): void {
    const key = `${kind}:${phase.priority}`
    const entry = this.#phases.get(key)
    this.#phases.delete(key)
    if (!entry) return
    const parent = this.#api.trace.setSpan(this.#api.context.active(), entry.span)
    for (const hook of phase.hooks) {
      if (hook.status !== 'skipped') continue
      // A skipped hook never started: a zero-length span says it was there and never ran.
      this.#run(kind)?.failed.push(hook.name)
      const span = this.#tracer.startSpan(
        `hook ${hook.name}`,
        { attributes: { [`${NS}.run`]: kind, [`${NS}.hook.name`]: hook.name } },
        parent,
      )
      endHookSpan(span, hook)
    }
    const ok = phase.hooks.every((hook) => hook.status === 'ok')
    entry.span.setAttributes({ [`${NS}.ok`]: ok, [`${NS}.phase.duration_ms`]: phase.durationMs })
    if (!ok) entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'a hook did not end ok' })
    entry.span.end()
    const start = this.#start
    if (kind === 'start' && start && !start.ended) {
      start.openPhases--
      if (this.#stop && start.openPhases === 0) this.#endStart(start, false)
    }
  }

  #stopped(report: ShutdownReport): void {
    const start = this.#start
    if (start && !start.ended) this.#endStart(start, false)
    const stop = this.#stop
    if (!stop || stop.ended) return
    this.#endStop(stop, report.ok, report.durationMs, {
      [`${NS}.hooks.failed`]: report.phases.flatMap((phase) =>
        phase.hooks.filter((hook) => hook.status !== 'ok').map((hook) => hook.name),
      ),
    })
  }

  #endStop(stop: Run, ok: boolean, durationMs: number, extra: Attributes = {}): void {
    stop.ended = true
    stop.span.setAttributes({ [`${NS}.ok`]: ok, [`${NS}.duration_ms`]: durationMs, ...extra })
    stop.span.setStatus(
      ok
        ? { code: SpanStatusCode.OK }
        : { code: SpanStatusCode.ERROR, message: `not ok: ${stop.failed.join(', ')}` },
    )
    stop.span.end()
    this.#stopDuration.record(durationMs, { [`${NS}.ok`]: ok, [`${NS}.reason`]: stop.reason ?? 'manual' })
  }

  /**
   * Ends the stop's spans from inside the stop, so a flush in its last phase can send them: waits
   * for the other hooks running beside `self`, then ends `self`'s span, its phase's and the stop's
   * (which then cover the stop up to here) and records the stop's duration so far.
   */
  async endStopEarly(self: string, signal: AbortSignal): Promise<void> {
    // The hooks of a phase are called in one synchronous loop: after one await, all have begun.
    await undefined
    const mine = this.#hooks.get(`stop:${self}`)
    const stop = this.#stop
    if (!mine || !stop || stop.ended) return
    const busy = (): boolean =>
      [...this.#hooks.entries()].some(([key, hook]) => hook.phase === mine.phase && key !== `stop:${self}`)
    if (busy() && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#onHookEnd = undefined
          signal.removeEventListener('abort', done)
          resolve()
        }
        this.#onHookEnd = () => {
          if (!busy()) done()
        }
        signal.addEventListener('abort', done, { once: true })
      })
    }
    this.#hooks.delete(`stop:${self}`)
    mine.span.setAttribute(`${NS}.hook.status`, 'ok')
    mine.span.end()
    const phase = this.#phases.get(mine.phase)
    this.#phases.delete(mine.phase)
    const ok = stop.failed.length === 0
    phase?.span.setAttribute(`${NS}.ok`, ok)
    phase?.span.end()
    const durationMs = Math.round((performance.now() - stop.began) * 10) / 10
    this.#endStop(stop, ok, durationMs, {
      [`${NS}.hooks.failed`]: [...stop.failed],
      [`${NS}.ended_early`]: true,
    })
  }
}

function endHookSpan(span: Span, hook: HookReport): void {
  span.setAttributes(hookAttributes(hook))
  if (hook.status === 'error' || hook.status === 'timeout') {
    if (hook.error !== undefined)
      // The SDK reads name, message and stack: an error whose getters throw goes as its text.
      span.recordException(printableError(hook.error) ?? errorMessage(hook.error, false))
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(hook.error) })
  } else if (hook.status === 'ok') {
    span.setStatus({ code: SpanStatusCode.OK })
  }
  span.end()
}
