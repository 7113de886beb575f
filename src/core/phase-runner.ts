import type { EventEmitter } from 'eventemitter3'
import pTimeout from 'p-timeout'
import { HookTimeoutError } from './errors.js'
import { asError, type Entry, HookRun, round, StartHookContext, StopHookContext } from './hook-run.js'
import type { Log } from './logger.js'
import { priorityName } from './priority.js'
import { type RunClock, type RunTime, SKIP } from './run-clock.js'
import type { HookStatus, LifecycleEvents, PhaseReport, RunKind, StopReason } from './types.js'
import { isThenable } from './validate.js'

/** @internal What a start or a stop shares with each of its phases. */
export interface Run {
  readonly kind: RunKind
  readonly clock: RunClock
  readonly events: EventEmitter<LifecycleEvents>
  readonly log: Log
  readonly reason: StopReason | undefined
  readonly sequential: boolean
  /** The batch in flight: `lifecycle.running` and the deadline's error name its unsettled hooks. */
  running: readonly HookRun[]
  /** Hooks that did not end `ok` (skipped ones included): the report is `ok` when none. */
  notOk: number
}

/** @internal Names of the hooks of `runs` that have not settled. */
export function unsettled(runs: readonly HookRun[]): string[] {
  const names: string[] = []
  for (const run of runs) if (!run.settled) names.push(run.name)
  return names
}

/**
 * @internal Runs one phase: its hooks together (or one at a time, last registered first when
 * stopping), each within the budget the run's clock gives it. Resolves once every hook has settled
 * or been given up on.
 */
export async function runPhase(run: Run, entries: readonly Entry[]): Promise<PhaseReport> {
  const { clock, events, kind } = run
  const startMs = clock.elapsed()
  const priority = entries[0]?.priority ?? 0
  const name = priorityName(priority)
  if (events.listenerCount('phase:start') > 0) {
    const hooks = entries.map((entry) => entry.name)
    events.emit('phase:start', { kind, priority, ...(name === undefined ? {} : { name }), hooks })
  }
  if (kind === 'stop') run.log.phase(priority, name, entries, clock.state)

  let runs: HookRun[]
  if (run.sequential) {
    runs = new Array<HookRun>(entries.length)
    let failed = false
    for (let i = entries.length - 1; i >= 0 && !failed; i--) {
      // Stop: last registered first. Start: the reverse of that, and it ends at its first failure.
      const index = kind === 'stop' ? i : entries.length - 1 - i
      const batch = new Batch(run, [entries[index] as Entry])
      const hook = batch.runs[0]
      if (hook === undefined) continue
      runs[index] = hook
      await batch.done()
      failed = kind === 'start' && hook.status !== 'ok'
    }
  } else {
    const batch = new Batch(run, entries)
    runs = batch.runs
    await batch.done()
  }
  // Hooks that never started (a forced run, a failed sequential start) are `skipped`.
  const at = round(clock.elapsed())
  for (let i = 0; i < entries.length; i++) {
    if (runs[i] !== undefined) continue
    runs[i] = new HookRun(entries[i] as Entry, at)
    run.notOk++
  }

  const report: PhaseReport = {
    kind,
    priority,
    ...(name === undefined ? {} : { name }),
    startMs: round(startMs),
    durationMs: round(clock.elapsed() - startMs),
    hooks: runs,
  }
  if (events.listenerCount('phase:end') > 0) events.emit('phase:end', report, kind)
  return report
}

/** Hooks started together, and the wait until each has settled or been given up on. */
class Batch {
  readonly runs: HookRun[] = []
  readonly #run: Run
  #pending = 0
  /** The clock's state when the batch began: a change from it (even mid-start) is acted on. */
  #seen: RunTime
  #wake: (() => void) | undefined
  readonly #emitEnd: boolean
  /** One clock read per microtask drain for hooks that settle together (see `#settledAt`). */
  #cached: number | undefined
  readonly #clearCache = (): void => {
    this.#cached = undefined
  }

  constructor(run: Run, entries: readonly Entry[]) {
    this.#run = run
    this.#emitEnd = run.events.listenerCount('hook:end') > 0
    this.#seen = run.clock.state
    this.#start(entries)
  }

  /** Calls each hook; one clock read both ends one hook's synchronous part and starts the next. */
  #start(entries: readonly Entry[]): void {
    const { clock, events, kind, reason } = this.#run
    const emitStart = events.listenerCount('hook:start') > 0
    const stopping = kind === 'stop'
    this.#run.running = this.runs
    let at = clock.elapsed()
    for (const entry of entries) {
      const budget = clock.next(stopping ? entry.timeout : entry.startTimeout, at)
      if (budget === SKIP) break
      const overdue = clock.state === 'overdue'
      // In time, the run's deadline bounds it too; started overdue, its final grace alone does.
      const hook = new HookRun(entry, at, budget, !overdue)
      this.runs.push(hook)
      this.#pending++
      if (overdue) hook.abort(clock.reason)
      if (emitStart) events.emit('hook:start', { kind, name: entry.name, priority: entry.priority })
      let result: unknown
      try {
        const fn = stopping ? entry.stop : entry.start
        const context = stopping
          ? new StopHookContext(hook, clock, reason)
          : new StartHookContext(hook, clock)
        result = fn?.(context as never)
      } catch (error) {
        at = clock.elapsed()
        this.#settle(hook, 'error', asError(entry.name, error), at)
        continue
      }
      at = clock.elapsed()
      if (!isThenable(result)) {
        this.#settle(hook, 'ok', undefined, at)
        continue
      }
      try {
        result.then(
          () => this.#settle(hook, 'ok', undefined, this.#settledAt()),
          (error: unknown) => this.#settle(hook, 'error', asError(entry.name, error), this.#settledAt()),
        )
      } catch (error) {
        // A foreign thenable whose `then` throws: the hook failed, as if it had thrown.
        this.#settle(hook, 'error', asError(entry.name, error), at)
      }
    }
  }

  /**
   * A settle reaction that finds the cached time was queued before the read, so its promise settled
   * before it: the cached time is no later than a fresh read would be, and ten thousand hooks
   * settling together cost one read instead of ten thousand.
   */
  #settledAt(): number {
    if (this.#cached === undefined) {
      this.#cached = this.#run.clock.elapsed()
      queueMicrotask(this.#clearCache)
    }
    return this.#cached
  }

  #settle(hook: HookRun, status: HookStatus, error: unknown, at: number): void {
    if (hook.settled) return
    hook.end(status, error, at, this.#run.kind, this.#run.clock)
    if (hook.status !== 'ok') this.#run.notOk++
    if (hook.status === 'timeout' && status !== 'timeout')
      this.#run.log.overBudget(hook, this.#run.kind, false)
    if (this.#emitEnd) this.#run.events.emit('hook:end', hook, this.#run.kind)
    if (--this.#pending === 0) this.#wake?.()
  }

  /** Waits until every hook has settled, or its budget or the run's time has run out. */
  async done(): Promise<void> {
    if (this.#pending === 0) return
    const { clock } = this.#run
    // Hooks that settle within this microtask drain need no timer.
    await undefined
    while (this.#pending > 0) {
      const at = clock.elapsed()
      clock.check(at)
      if (clock.state !== this.#seen) {
        this.#seen = clock.state
        this.#onClockChange(this.#seen)
        continue
      }
      let nextEnd = Number.POSITIVE_INFINITY
      for (const hook of this.runs) if (!hook.settled && hook.budgetEnd < nextEnd) nextEnd = hook.budgetEnd
      if (nextEnd <= at) {
        this.#timeOut(nextEnd)
        continue
      }
      await this.#sleep(nextEnd - at)
    }
  }

  /** Until a hook settles the batch, the clock changes, or `ms` pass. */
  #sleep(ms: number): Promise<void> {
    const { clock } = this.#run
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve
      clock.onChange = resolve
    })
    return within(woken, ms)
  }

  /** Every hook whose budget ends at `end` (or earlier) is out of time. */
  #timeOut(end: number): void {
    for (const hook of this.runs) {
      if (hook.settled || hook.budgetEnd > end) continue
      const error = new HookTimeoutError(hook.name, hook.budgetMs ?? 0, this.#run.kind)
      hook.abort(error)
      this.#settle(hook, 'timeout', error, this.#run.clock.elapsed())
      this.#run.log.overBudget(hook, this.#run.kind, true)
    }
  }

  /** Cancelled: the hooks are told and still awaited. Overdue or forced: they are given up on. */
  #onClockChange(state: RunTime): void {
    const { clock } = this.#run
    const reason = clock.reason
    const giveUp = state === 'overdue' || state === 'forced'
    const at = clock.elapsed()
    for (const hook of this.runs) {
      if (hook.settled) continue
      hook.abort(reason)
      if (giveUp) this.#settle(hook, clock.abandonedStatus, reason, at)
    }
  }
}

/**
 * p-timeout, resolving at the budget. p-timeout builds a TimeoutError (and captures its stack) on
 * every call, for an error our fallback never throws: per wait, that capture cost more than running
 * a hundred no-op hooks, so it is built without a stack.
 */
function within(promise: Promise<void>, milliseconds: number): Promise<void> {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return pTimeout(promise, { milliseconds, fallback: () => undefined })
  } finally {
    Error.stackTraceLimit = limit
  }
}
