import type { EventEmitter } from 'eventemitter3'
import pTimeout, { TimeoutError } from 'p-timeout'
import { HookTimeoutError, NonErrorThrownError } from './errors.js'
import { priorityName } from './priority.js'
import type { HookReport, HookStatus, LifecycleEvents, PhaseReport, RunKind, StopReason } from './types.js'
import { isThenable } from './validate.js'

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
  /** The component's own budget check (see `withBudgetCheck`). */
  readonly budgetCheck?:
    | ((budgets: { timeout: number; gracePeriod: number | undefined }) => string[])
    | undefined
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
  /** The batch in flight: read by `lifecycle.running` and by the deadline's error. */
  readonly running: Running
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
  /** With `waitAfterAbort`: once `abort` has fired, this abandons the hooks still running. */
  readonly abandon?: AbortSignal
}

const TIMED_OUT = Symbol('timed out')

/** @internal The hooks of the batch in flight; cheaper than keeping a set up to date per hook. */
export class Running {
  #runs: readonly HookRun[] = []
  set(runs: readonly HookRun[]): void {
    this.#runs = runs
  }
  names(): string[] {
    return this.#runs.filter((run) => !run.settled).map((run) => run.name)
  }
}

/**
 * One hook in flight, and afterwards its {@link HookReport}: the run is the report, so a stop
 * with ten thousand hooks does not copy ten thousand objects.
 */
class HookRun implements HookReport {
  readonly name: string
  readonly priority: number
  status: HookStatus = 'skipped'
  startMs = 0
  durationMs = 0
  declare budgetMs?: number
  declare error?: unknown
  declare details?: Record<string, unknown>
  #settled = false
  readonly #entry: Entry
  #budgetEnd = 0
  #controller: AbortController | undefined
  #abortReason: unknown
  #aborted = false
  #details: Record<string, unknown> | undefined

  constructor(entry: Entry) {
    this.#entry = entry
    this.name = entry.name
    this.priority = entry.priority
  }

  get settled(): boolean {
    return this.#settled
  }

  get entry(): Entry {
    return this.#entry
  }

  get budgetEnd(): number {
    return this.#budgetEnd
  }

  begin(at: number, budget: number): void {
    this.startMs = at
    this.#budgetEnd = at + budget
    if (Number.isFinite(budget)) this.budgetMs = round(budget)
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#abortReason)
    }
    return this.#controller.signal
  }

  get liveDetails(): Record<string, unknown> {
    this.#details ??= {}
    return this.#details
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#abortReason = reason
    this.#controller?.abort(reason)
  }

  /** Fixes the outcome; `details` is copied here, so a hook abandoned at its budget cannot change it later. */
  end(status: HookStatus, error: unknown, at: number): void {
    this.#settled = true
    this.status = status
    if (status !== 'ok') this.error = error
    this.startMs = round(this.startMs)
    this.durationMs = round(at - this.startMs)
    if (this.#details !== undefined && Object.keys(this.#details).length > 0)
      this.details = { ...this.#details }
  }

  /** A hook whose phase never ran (the stop was forced). */
  skip(at: number): void {
    this.startMs = round(at)
    this.#details = undefined
  }
}

/** What a stop hook sees: prototype getters, so a context costs one small allocation. */
class StopHookContext {
  readonly #run: HookRun
  readonly reason: StopReason | undefined
  readonly deadline: number
  constructor(run: HookRun, phase: PhaseRun) {
    this.#run = run
    this.reason = phase.reason
    this.deadline = Math.min(phase.deadline, phase.originEpoch + run.budgetEnd)
  }
  get signal(): AbortSignal {
    return this.#run.signal
  }
  get details(): Record<string, unknown> {
    return this.#run.liveDetails
  }
}

/** What a start hook sees. */
class StartHookContext {
  readonly #run: HookRun
  readonly deadline: number
  constructor(run: HookRun, phase: PhaseRun) {
    this.#run = run
    this.deadline = Math.min(phase.deadline, phase.originEpoch + run.budgetEnd)
  }
  get signal(): AbortSignal {
    return this.#run.signal
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
  // A start ends at its first failure: a hook started after it would only be rolled back.
  let startFailed = false
  for (const batch of batches) {
    const mode = startFailed ? undefined : phase.mode()
    if (mode === undefined) {
      const at = now() - phase.origin
      for (const run of batch) run.skip(at)
      continue
    }
    await runTogether(batch, phase, mode)
    if (phase.kind === 'start') startFailed = batch.some((run) => run.status !== 'ok')
  }
  const hooks: HookReport[] = runs
  const report: PhaseReport = {
    kind: phase.kind,
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
  running.set(runs)
  let pending = runs.length
  let allSettled!: () => void
  const settledPromise = new Promise<void>((resolve) => {
    allSettled = resolve
  })

  // One clock read per microtask drain: a settle reaction that finds the cached time was queued
  // before the read, so its promise settled before it; the cached time is no later than a fresh
  // read would be, and ten thousand hooks settling together cost one read instead of ten thousand.
  let cached: number | undefined
  const clearCache = (): void => {
    cached = undefined
  }
  const settledAt = (): number => {
    if (cached === undefined) {
      cached = now() - origin
      queueMicrotask(clearCache)
    }
    return cached
  }
  const settle = (run: HookRun, status: HookStatus, error?: unknown, at = settledAt()): void => {
    if (run.settled) return
    run.end(status, error, at)
    if (emitEnd) events.emit('hook:end', run, phase.kind)
    if (--pending === 0) allSettled()
  }

  const stopping = phase.kind === 'stop'
  // The hooks run back to back: one clock read both ends one hook's synchronous part and starts the next.
  let at = now() - origin
  for (const run of runs) {
    const { entry } = run
    const hook = stopping ? entry.stop : entry.start
    run.begin(at, Math.min(stopping ? entry.timeout : entry.startTimeout, mode.cap))
    if (mode.preAborted !== undefined) run.abort(mode.preAborted)
    if (emitStart) events.emit('hook:start', { kind: phase.kind, name: entry.name, priority: entry.priority })
    let result: unknown
    try {
      result = hook?.(
        (stopping ? new StopHookContext(run, phase) : new StartHookContext(run, phase)) as never,
      )
    } catch (error) {
      at = now() - origin
      settle(run, 'error', asError(entry.name, error), at)
      continue
    }
    at = now() - origin
    if (isThenable(result)) {
      try {
        result.then(
          () => settle(run, 'ok'),
          (error: unknown) => settle(run, 'error', asError(entry.name, error)),
        )
      } catch (error) {
        // A foreign thenable whose `then` throws: the hook failed, as if it had thrown.
        settle(run, 'error', asError(entry.name, error), at)
      }
    } else {
      settle(run, 'ok', undefined, at)
    }
  }

  // Hooks that settle within this microtask drain need no timer: yield once before arming one.
  if (pending > 0) await undefined
  let aborted = false
  while (pending > 0) {
    const waiting = runs.filter((run) => !run.settled)
    let nextEnd = Number.POSITIVE_INFINITY
    for (const run of waiting) if (run.budgetEnd < nextEnd) nextEnd = run.budgetEnd
    try {
      const outcome = await within(
        settledPromise,
        Math.max(1, nextEnd - (now() - origin)),
        aborted ? mode.abandon : mode.abort,
      )
      if (outcome !== TIMED_OUT) break
      // The timer fired for `nextEnd`: every hook whose budget ends there (or earlier) is out of time.
      for (const run of waiting) {
        if (run.budgetEnd > nextEnd || run.settled) continue
        const timeout = run.budgetEnd - run.startMs
        const error = new HookTimeoutError(run.entry.name, timeout, phase.kind)
        run.abort(error)
        settle(run, 'timeout', error)
      }
    } catch (reason) {
      // The whole run's deadline passed or the stop was forced (or, after that, the wait was abandoned).
      const abandon = aborted || !mode.waitAfterAbort
      aborted = true
      for (const run of waiting) run.abort(reason)
      if (abandon) {
        for (const run of waiting) settle(run, reason instanceof TimeoutError ? 'timeout' : 'error', reason)
      }
    }
  }
}

/**
 * p-timeout, resolving to TIMED_OUT at the budget. p-timeout builds a TimeoutError (and captures
 * its stack) on every call, for an error our fallback never throws: per phase, that capture cost
 * more than running a hundred no-op hooks, so it is built without a stack.
 */
function within(promise: Promise<void>, milliseconds: number, signal: AbortSignal | undefined) {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return pTimeout(promise, {
      milliseconds,
      ...(signal === undefined ? {} : { signal }),
      fallback: () => TIMED_OUT,
    })
  } finally {
    Error.stackTraceLimit = limit
  }
}

function asError(hook: string, error: unknown): unknown {
  return error instanceof Error ? error : new NonErrorThrownError(hook, error)
}

/** @internal Timings in ms to the microsecond: finer is noise, and it keeps the JSON short. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
