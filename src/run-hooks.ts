import type { EventEmitter } from 'eventemitter3'
import pTimeout, { TimeoutError } from 'p-timeout'
import { HookTimeoutError, NonErrorThrownError } from './errors.js'
import { priorityName } from './priority.js'
import type { HookReport, HookStatus, LifecycleEvents, PhaseReport, RunKind, StopReason } from './types.js'

/** @internal A registered component, as the runner sees it. */
export interface Entry {
  readonly name: string
  readonly priority: number
  readonly order: number
  readonly start: ((context: never) => unknown) | undefined
  readonly stop: ((context: never) => unknown) | undefined
  readonly timeout: number
  readonly startTimeout: number
  started: boolean
}

/** @internal Everything one phase needs from its lifecycle. */
export interface PhaseRun {
  readonly kind: RunKind
  readonly entries: readonly Entry[]
  readonly sequential: boolean
  readonly events: EventEmitter<LifecycleEvents>
  readonly now: () => number
  /** `now()` at the start of the run: report offsets are relative to it. */
  readonly origin: number
  /** `Date.now()` at `origin`. */
  readonly originEpoch: number
  readonly reason: StopReason | undefined
  /** Hooks still running, by name: read by `lifecycle.running` and by the deadline's error. */
  readonly running: Set<string>
  /** Epoch ms of the whole run's deadline, for `context.deadline`. */
  readonly deadline: number
  /** Read before each batch of hooks starts (each hook, when sequential); `undefined` skips the rest. */
  readonly mode: () => RunMode | undefined
}

/** @internal How the next hooks of a phase run. */
export interface RunMode {
  /** When set, the hooks' own signals start aborted with it. */
  readonly preAborted?: unknown
  /** Caps every hook's budget, in ms. */
  readonly cap: number
  /** Ends the batch early: pending hooks are aborted and, unless `waitAfterAbort`, abandoned. */
  readonly abort?: AbortSignal
  readonly waitAfterAbort: boolean
}

const TIMED_OUT = Symbol('timed out')

/** One hook in flight: its context, its lazily created signal, and how it ended. */
class HookRun {
  status: HookStatus | undefined
  error: unknown
  startMs = 0
  durationMs = 0
  budgetEnd = 0
  #controller: AbortController | undefined
  #abortReason: unknown
  #aborted = false
  details: Record<string, unknown> | undefined

  constructor(readonly entry: Entry) {}

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#abortReason)
    }
    return this.#controller.signal
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#abortReason = reason
    this.#controller?.abort(reason)
  }

  report(): HookReport {
    const report: { -readonly [K in keyof HookReport]: HookReport[K] } = {
      name: this.entry.name,
      priority: this.entry.priority,
      status: this.status ?? 'skipped',
      startMs: round(this.startMs),
      durationMs: round(this.durationMs),
    }
    if (this.status === 'error' || this.status === 'timeout') report.error = this.error
    if (this.details && Object.keys(this.details).length > 0) report.details = { ...this.details }
    return report
  }
}

function contextOf(run: HookRun, phase: PhaseRun): object {
  const deadline = Math.min(phase.deadline, phase.originEpoch + run.budgetEnd)
  if (phase.kind === 'start') {
    return {
      get signal() {
        return run.signal
      },
      deadline,
    }
  }
  return {
    get signal() {
      return run.signal
    },
    reason: phase.reason,
    deadline,
    get details() {
      run.details ??= {}
      return run.details
    },
  }
}

/** @internal Runs one phase: its hooks together (or one at a time), each within its budget. */
export async function runPhase(phase: PhaseRun): Promise<PhaseReport> {
  const { entries, events, now } = phase
  const startMs = now() - phase.origin
  const priority = entries[0]?.priority ?? 0
  const name = priorityName(priority)
  if (events.listenerCount('phase:start') > 0) {
    events.emit('phase:start', {
      kind: phase.kind,
      priority,
      ...(name === undefined ? {} : { name }),
      hooks: entries.map((entry) => entry.name),
    })
  }
  const runs = entries.map((entry) => new HookRun(entry))
  // Stop: last registered first. Start: the reverse of that.
  const batches = phase.sequential
    ? (phase.kind === 'stop' ? [...runs].reverse() : runs).map((run) => [run])
    : [runs]
  for (const batch of batches) {
    const mode = phase.mode()
    if (mode === undefined) {
      const at = now() - phase.origin
      for (const run of batch) run.startMs = at
      continue
    }
    await runTogether(batch, phase, mode)
  }
  const hooks = runs.map((run) => run.report())
  const report: PhaseReport = {
    priority,
    ...(name === undefined ? {} : { name }),
    startMs: round(startMs),
    durationMs: round(now() - phase.origin - startMs),
    hooks,
  }
  if (events.listenerCount('phase:end') > 0) events.emit('phase:end', report, phase.kind)
  return report
}

async function runTogether(runs: readonly HookRun[], phase: PhaseRun, mode: RunMode): Promise<void> {
  const { now, origin, events, running } = phase
  const emitStart = events.listenerCount('hook:start') > 0
  const emitEnd = events.listenerCount('hook:end') > 0
  let pending = runs.length
  let allSettled!: () => void
  const settledPromise = new Promise<void>((resolve) => {
    allSettled = resolve
  })

  const settle = (run: HookRun, status: HookStatus, error?: unknown): void => {
    if (run.status !== undefined) return
    run.status = status
    if (status !== 'ok') run.error = error
    run.durationMs = now() - origin - run.startMs
    running.delete(run.entry.name)
    if (emitEnd) events.emit('hook:end', run.report(), phase.kind)
    if (--pending === 0) allSettled()
  }

  for (const run of runs) {
    const { entry } = run
    const hook = phase.kind === 'stop' ? entry.stop : entry.start
    const budget = Math.min(phase.kind === 'stop' ? entry.timeout : entry.startTimeout, mode.cap)
    run.startMs = now() - origin
    run.budgetEnd = run.startMs + budget
    if (mode.preAborted !== undefined) run.abort(mode.preAborted)
    running.add(entry.name)
    if (emitStart) events.emit('hook:start', { kind: phase.kind, name: entry.name, priority: entry.priority })
    let result: unknown
    try {
      result = hook?.(contextOf(run, phase) as never)
    } catch (error) {
      settle(run, 'error', asError(entry.name, error))
      continue
    }
    if (isThenable(result)) {
      result.then(
        () => settle(run, 'ok'),
        (error: unknown) => settle(run, 'error', asError(entry.name, error)),
      )
    } else {
      settle(run, 'ok')
    }
  }

  let aborted = false
  while (pending > 0) {
    const waiting = runs.filter((run) => run.status === undefined)
    const nextEnd = Math.min(...waiting.map((run) => run.budgetEnd))
    const signal = aborted ? undefined : mode.abort
    try {
      const outcome = await pTimeout(settledPromise, {
        milliseconds: Math.max(1, nextEnd - (now() - origin)),
        ...(signal === undefined ? {} : { signal }),
        fallback: () => TIMED_OUT,
      })
      if (outcome !== TIMED_OUT) break
      // The timer fired for `nextEnd`: every hook whose budget ends there (or earlier) is out of time.
      for (const run of waiting) {
        if (run.budgetEnd > nextEnd || run.status !== undefined) continue
        const timeout = run.budgetEnd - run.startMs
        const error = new HookTimeoutError(run.entry.name, timeout, phase.kind)
        run.abort(error)
        settle(run, 'timeout', error)
      }
    } catch (reason) {
      // The whole run's deadline passed or the stop was forced.
      aborted = true
      for (const run of waiting) run.abort(reason)
      if (!mode.waitAfterAbort) {
        for (const run of waiting) settle(run, reason instanceof TimeoutError ? 'timeout' : 'error', reason)
      }
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function asError(hook: string, error: unknown): unknown {
  return error instanceof Error ? error : new NonErrorThrownError(hook, error)
}

/** @internal Timings in ms to the microsecond: finer is noise, and it keeps the JSON short. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
