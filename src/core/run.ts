import type { EventEmitter } from 'eventemitter3'
import { ErrorCode, HookTimeoutError, NonErrorThrownError, StopTimeoutError } from './errors.js'
import { isError } from './foreign.js'
import type { Log } from './logger.js'
import { Priority, priorityName } from './priority.js'
import type {
  BudgetContext,
  HookReport,
  HookStatus,
  LifecycleEvents,
  PhaseReport,
  RunKind,
  StartContext,
  StartHook,
  StopContext,
  StopHook,
  StopReason,
} from './types.js'
import { isThenable } from './validate.js'

/** @internal A registered component, as a run sees it. */
export interface Entry {
  readonly name: string
  readonly priority: number
  readonly start: StartHook | undefined
  readonly stop: StopHook | undefined
  readonly timeout: number
  readonly startTimeout: number
  started: boolean
  /** The component's own budget check (`Component.checkBudget`). */
  readonly budgetCheck?: ((budgets: BudgetContext) => readonly string[]) | undefined
}

/**
 * Where a run stands against its time:
 * - `in-time`: every hook gets its own budget and a live signal;
 * - `cancelled` (a start that a stop interrupted): the running hooks' signals abort, they are still
 *   waited for within their own budgets, and no further hook starts;
 * - `overdue` (the stop's deadline passed): the running hooks are aborted and given up on; each hook
 *   still to come runs with an aborted signal and at most `finalGrace`;
 * - `forced`: the running hooks are aborted and given up on; no further hook starts.
 *
 * Moves only forward: in-time → cancelled → overdue → forced, skipping any. The run moves itself to
 * `overdue` when its deadline passes (by its timer, or found late at the next clock read when a
 * blocked event loop kept the timer from firing); the lifecycle cancels a start and forces a run.
 */
export type RunTime = 'in-time' | 'cancelled' | 'overdue' | 'forced'

const RANK: Record<RunTime, number> = { 'in-time': 0, cancelled: 1, overdue: 2, forced: 3 }

/** What {@link Run.budget} answers for a hook that must not start. */
const SKIP = -1

/** setTimeout's longest delay: a longer one fires at once. */
const MAX_DELAY = 2 ** 31 - 1

/** @internal What a start or a stop is given by its lifecycle. */
export interface RunSetup {
  /** A monotonic clock in ms. */
  readonly now: () => number
  /** The whole run's budget in ms (`Infinity` for a start). */
  readonly timeout: number
  readonly finalGrace: number
  readonly sequential: boolean
  readonly events: EventEmitter<LifecycleEvents>
  readonly log: Log
  /** What the lifecycle is running (start and stop): the deadline's error names it. */
  readonly running: () => string[]
}

/** @internal How a start ended. */
export interface StartOutcome {
  /** Hooks that failed or timed out, in the order they ran. */
  readonly failed: readonly HookReport[]
  /** The phase that was running when the start was cancelled, if any. */
  readonly interrupted: PhaseReport | undefined
  /** Every start hook ran and ended `ok` (a stop may still have begun meanwhile). */
  readonly complete: boolean
}

/** @internal The `WaitGroup` as a stop sees it: its hook, asked for when `WORKERS` is due. */
export interface TrackedWork {
  /** The hook that waits for what is tracked, if anything is. */
  entry(): Entry | undefined
  /** Work tracked from now on would never be waited for: refuse it. */
  close(): void
}

const NO_ENTRIES: readonly Entry[] = []

/**
 * @internal One start or one stop, read top to bottom: {@link Run.start} and {@link Run.stop} loop
 * over the phases; `#phase` calls a phase's hooks (together, or one after the other when
 * `sequential`) and awaits them; `#settle` records each hook's report. The run owns its time (its
 * deadline, its state, the promise {@link Run.changed} that settles when the state moves) and its
 * running set (the hooks of the phase under way): nothing outside it is called back.
 */
export class Run {
  readonly kind: RunKind
  /** The stop's reason (`undefined` for a start). */
  readonly reason: StopReason | undefined
  /** `now()` when the run began: report offsets are relative to it. */
  readonly origin: number
  /** `Date.now()` at `origin`. */
  readonly originEpoch: number
  /** The run's budget in ms, and the offset from `origin` at which it is overdue (`Infinity` for a start). */
  readonly timeout: number
  /** Hooks that did not end `ok` (skipped ones included): the report is `ok` when none. */
  notOk = 0

  readonly #now: () => number
  readonly #finalGrace: number
  readonly #sequential: boolean
  readonly #events: EventEmitter<LifecycleEvents>
  readonly #log: Log
  readonly #lifecycleRunning: () => string[]

  // Its time.
  #time: RunTime = 'in-time'
  #cause: unknown
  #timer: ReturnType<typeof setTimeout> | undefined
  /** Settles at the next change of `#time`: what a waiting phase or stop awaits beside its hooks. */
  #changed: { promise: Promise<void>; resolve: () => void } | undefined

  // The phase under way.
  #entries: readonly Entry[] = NO_ENTRIES
  /** Reports by entry index, filled as hooks settle. */
  #reports: (HookReport | undefined)[] = []
  /** Its hooks in flight (settled ones are dropped as they settle last, or at the next scan). */
  readonly #inFlight: HookRun[] = []
  /** Hooks of the phase started so far. */
  #started = 0
  /** Hooks of the phase neither settled, given up on, nor left unstarted for good. */
  #left = 0
  /** The time the waiting has acted on: a change from it (even mid-start) is acted on. */
  #seen: RunTime = 'in-time'
  /**
   * Per-hook events cost ~8,000 instructions a hook with no listener (the payload, and the rest
   * arguments of the lifecycle's guarded `emit`): asked once a phase, not once a hook
   * (`npm run bench -- core`, concurrent stop row).
   */
  #emitStart = false
  #emitEnd = false
  /** `#proceed` is on the stack: a hook settling inside it must not start the next one. */
  #proceeding = false
  /** Ends the wait's sleep (the last hook settled, or a hook started whose budget ends before it wakes). */
  #wake: (() => void) | undefined
  #sleepUntil = Number.POSITIVE_INFINITY

  constructor(kind: RunKind, reason: StopReason | undefined, setup: RunSetup) {
    this.kind = kind
    this.reason = reason
    this.#now = setup.now
    this.origin = setup.now()
    this.originEpoch = Date.now()
    this.timeout = setup.timeout
    this.#finalGrace = setup.finalGrace
    this.#sequential = setup.sequential
    this.#events = setup.events
    this.#log = setup.log
    this.#lifecycleRunning = setup.running
    if (Number.isFinite(setup.timeout)) this.#timer = setTimeout(() => this.#expire(), setup.timeout)
  }

  // ---- Phases --------------------------------------------------------------------------------

  /**
   * Starts phase after phase, lowest priority first, until one fails or a stop cancels the start;
   * each hook that ended `ok` marks its component started.
   */
  async start(entries: Iterable<Entry>): Promise<StartOutcome> {
    const failed: HookReport[] = []
    let interrupted: PhaseReport | undefined
    const phases = phasesOf(entries, 'start')
    let ran = 0
    for (const group of phases) {
      if (this.#time !== 'in-time') break
      ran++
      const phase = await this.#phase(group)
      for (const hook of phase.hooks) if (hook.status !== 'ok' && hook.status !== 'skipped') failed.push(hook)
      if (this.#time !== 'in-time') interrupted = phase
      if (failed.length > 0) break
    }
    const complete =
      ran === phases.length &&
      failed.length === 0 &&
      interrupted?.hooks.every((h) => h.status === 'ok') !== false
    return { failed, interrupted, complete }
  }

  /**
   * Stops phase after phase, highest priority first. Phases run whatever the time: overdue, they run
   * with aborted signals and `finalGrace`; forced, their hooks are `skipped`. Tracked work is asked for
   * when the `WORKERS` phase is due, not before: work tracked by an earlier phase's hook (an HTTP
   * request that `track()`s a task while it drains) is waited for too, and so is work that a `WORKERS`
   * hook tracks. Once that phase has ended, `track()` is refused.
   */
  async stop(entries: Iterable<Entry>, tracked: TrackedWork): Promise<PhaseReport[]> {
    const phases: PhaseReport[] = []
    let waited = false
    const waitForTracked = async (entry = tracked.entry()): Promise<void> => {
      for (; entry !== undefined; entry = tracked.entry()) phases.push(await this.#phase([entry]))
      tracked.close()
      waited = true
    }
    for (const group of phasesOf(entries, 'stop')) {
      const priority = (group[0] as Entry).priority
      if (!waited && priority === Priority.WORKERS) {
        const entry = tracked.entry()
        phases.push(await this.#phase(entry === undefined ? group : [...group, entry]))
        await waitForTracked()
        continue
      }
      if (!waited && priority < Priority.WORKERS) {
        const entry = tracked.entry()
        if (entry === undefined) {
          tracked.close()
          waited = true
        } else await waitForTracked(entry)
      }
      phases.push(await this.#phase(group))
    }
    if (!waited) await waitForTracked()
    return phases
  }

  /** Names of the hooks running right now. */
  running(): string[] {
    const names: string[] = []
    for (const hook of this.#inFlight) if (hook.report() === undefined) names.push(hook.entry().name)
    return names
  }

  /**
   * One phase: its hooks together (or one at a time, last registered first when stopping), each
   * within the budget the run's time gives it. Resolves once every hook has settled or been given up on.
   */
  async #phase(entries: readonly Entry[]): Promise<PhaseReport> {
    const kind = this.kind
    const events = this.#events
    const startMs = this.elapsed()
    const priority = (entries[0] as Entry).priority
    const name = priorityName(priority)
    if (events.listenerCount('phase:start') > 0) {
      const hooks = entries.map((entry) => entry.name)
      events.emit(
        'phase:start',
        name === undefined ? { kind, priority, hooks } : { kind, priority, name, hooks },
      )
    }
    if (kind === 'stop') this.#log.phase(priority, name, entries, this.#time)

    this.#entries = entries
    const reports = new Array<HookReport | undefined>(entries.length)
    this.#reports = reports
    this.#started = 0
    this.#left = entries.length
    this.#seen = this.#time
    this.#emitStart = events.listenerCount('hook:start') > 0
    this.#emitEnd = events.listenerCount('hook:end') > 0
    this.#proceed(this.elapsed())
    await this.#settled()
    this.#entries = NO_ENTRIES
    this.#inFlight.length = 0

    // Hooks that never started (a forced run, a failed sequential start) are `skipped`.
    const end = this.elapsed()
    const at = round(end)
    for (let i = 0; i < reports.length; i++) {
      if (reports[i] !== undefined) continue
      const entry = entries[i] as Entry
      reports[i] = {
        name: entry.name,
        priority: entry.priority,
        status: 'skipped',
        startMs: at,
        durationMs: 0,
      }
      this.notOk++
    }
    const hooks = reports as HookReport[]
    const startAt = round(startMs)
    const durationMs = round(end - startMs)
    const report: PhaseReport =
      name === undefined
        ? { kind, priority, startMs: startAt, durationMs, hooks }
        : { kind, priority, name, startMs: startAt, durationMs, hooks }
    events.emit('phase:end', report, kind)
    return report
  }

  /**
   * Calls the hooks that may start now: every hook of the phase, or when `sequential` the next one
   * (and the one after while each ends at once; a hook that settles later calls the next from
   * `#settle`). One clock read ends one hook's synchronous part and starts the next.
   */
  #proceed(at: number): void {
    const entries = this.#entries
    const count = entries.length
    const stopping = this.kind === 'stop'
    const sequential = this.#sequential
    this.#proceeding = true
    while (this.#started < count) {
      const index = sequential && stopping ? count - 1 - this.#started : this.#started
      const entry = entries[index] as Entry
      const budget = this.#budget(stopping ? entry.timeout : entry.startTimeout, at)
      if (budget === SKIP) {
        this.#skipRest()
        break
      }
      this.#started++
      const hook = new HookRun(entry, index, this, at, budget)
      this.#inFlight.push(hook)
      if (this.#time === 'overdue') hook.abort(this.#cause)
      // The wait sleeps until the earliest budget end it saw: one that ends sooner wakes it.
      if (at + budget < this.#sleepUntil) this.#wake?.()
      if (this.#emitStart)
        this.#events.emit('hook:start', { kind: this.kind, name: entry.name, priority: entry.priority })
      let result: unknown
      try {
        result = stopping ? entry.stop?.(hook) : entry.start?.(hook)
      } catch (error) {
        at = this.elapsed()
        this.#settle(hook, 'error', asError(entry.name, error), at)
        continue
      }
      at = this.elapsed()
      if (!isThenable(result)) {
        this.#settle(hook, 'ok', undefined, at)
        continue
      }
      try {
        result.then(
          () => this.#settle(hook, 'ok', undefined, this.elapsed()),
          (error: unknown) => this.#settle(hook, 'error', asError(entry.name, error), this.elapsed()),
        )
      } catch (error) {
        // A foreign thenable whose `then` throws: the hook failed, as if it had thrown.
        this.#settle(hook, 'error', asError(entry.name, error), at)
        continue
      }
      // One at a time: the next starts when this one settles (a foreign thenable may have already).
      if (sequential && hook.report() === undefined) break
    }
    this.#proceeding = false
  }

  /** Fixes a hook's outcome at offset `at` (once: a hook given up on may settle later, unheard). */
  #settle(hook: HookRun, status: HookStatus, error: unknown, at: number, gaveUp = false): void {
    if (hook.report() !== undefined) return
    const kind = this.kind
    const report = hook.end(status, error, at, kind)
    this.#reports[hook.slot()] = report
    if (report.status === 'ok') {
      if (kind === 'start') hook.entry().started = true
    } else this.notOk++
    if (report.status === 'timeout' && (gaveUp || status !== 'timeout'))
      this.#log.overBudget(report, kind, gaveUp)
    if (this.#emitEnd) this.#events.emit('hook:end', report, kind)
    const inFlight = this.#inFlight
    if (inFlight[inFlight.length - 1] === hook) inFlight.pop()
    this.#left--
    if (this.#sequential && this.#started < this.#entries.length) {
      if (kind === 'start' && report.status !== 'ok') this.#skipRest()
      else if (!this.#proceeding) this.#proceed(at)
    }
    if (this.#left === 0) this.#wake?.()
  }

  /** No further hook of the phase starts (the run is cancelled or forced, or a sequential start failed). */
  #skipRest(): void {
    this.#left -= this.#entries.length - this.#started
    this.#started = this.#entries.length
    if (this.#left === 0) this.#wake?.()
  }

  /**
   * Waits until every hook of the phase has settled, or its budget or the run's time has run out.
   * A hook that returned a settled promise settles one microtask later: one `await` of nothing first
   * spares the timer and the loop below (the concurrent row of `npm run bench -- core`).
   */
  async #settled(): Promise<void> {
    if (this.#left === 0) return
    await undefined
    while (this.#left > 0) {
      const at = this.elapsed()
      this.#check(at)
      if (this.#time !== this.#seen) {
        this.#seen = this.#time
        this.#onTimeChange()
        continue
      }
      // The earliest budget end among the hooks in flight; settled ones are dropped on the way.
      const inFlight = this.#inFlight
      let nextEnd = Number.POSITIVE_INFINITY
      let kept = 0
      for (const hook of inFlight) {
        if (hook.report() !== undefined) continue
        inFlight[kept++] = hook
        nextEnd = Math.min(nextEnd, hook.budgetEnd())
      }
      inFlight.length = kept
      if (nextEnd <= at) {
        this.#timeOut(nextEnd)
        continue
      }
      await this.#sleep(nextEnd, at)
    }
  }

  /** Until the last hook settles, the time changes, a hook that ends sooner starts, or `until` passes. */
  #sleep(until: number, at: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        if (this.#wake === wake) {
          this.#wake = undefined
          this.#sleepUntil = Number.POSITIVE_INFINITY
        }
        resolve()
      }
      const timer =
        until === Number.POSITIVE_INFINITY ? undefined : setTimeout(wake, Math.min(until - at, MAX_DELAY))
      this.#wake = wake
      this.#sleepUntil = until
      this.changed().then(wake)
    })
  }

  /** Every hook whose budget ends at `end` (or earlier) is out of time. */
  #timeOut(end: number): void {
    const inFlight = this.#inFlight
    // A sequential phase starts the next hook as one settles: only those in flight now are looked at.
    for (let i = 0, n = inFlight.length; i < n; i++) {
      const hook = inFlight[i]
      if (hook === undefined || hook.report() !== undefined || hook.budgetEnd() > end) continue
      const error = new HookTimeoutError(hook.entry().name, hook.budget(), this.kind)
      hook.abort(error)
      this.#settle(hook, 'timeout', error, this.elapsed(), true)
    }
  }

  /** Cancelled: the hooks are told and still awaited. Overdue or forced: they are given up on. */
  #onTimeChange(): void {
    const cause = this.#cause
    const giveUp = this.#time === 'overdue' || this.#time === 'forced'
    const status = this.abandonedStatus
    const at = this.elapsed()
    const inFlight = this.#inFlight
    for (let i = 0, n = inFlight.length; i < n; i++) {
      const hook = inFlight[i]
      if (hook === undefined || hook.report() !== undefined) continue
      hook.abort(cause)
      if (giveUp) this.#settle(hook, status, cause, at)
    }
  }

  // ---- Time ----------------------------------------------------------------------------------

  /** Where the run stands against its time. */
  get state(): RunTime {
    return this.#time
  }

  /** Why the run left `in-time`: a `StoppingError`, a `StopTimeoutError` or a `ForcedStopError`. */
  get cause(): unknown {
    return this.#cause
  }

  /** A hook given up on for this cause ends `timeout` when it is the deadline, `error` otherwise. */
  get abandonedStatus(): 'timeout' | 'error' {
    return (this.#cause as { code?: unknown } | undefined)?.code === ErrorCode.STOP_TIMEOUT
      ? 'timeout'
      : 'error'
  }

  /** ms since the run began. */
  elapsed(): number {
    return this.#now() - this.origin
  }

  /** A stop interrupts this start: running hooks are told, no further one starts. */
  cancel(cause: unknown): void {
    this.#move('cancelled', cause)
  }

  /** Running hooks are given up on, no further one starts. */
  force(cause: unknown): void {
    this.#move('forced', cause)
  }

  /** Resolves when the state next moves (the deadline passes, the run is cancelled or forced). */
  changed(): Promise<void> {
    if (this.#changed === undefined) {
      let resolve!: () => void
      const promise = new Promise<void>((res) => {
        resolve = res
      })
      this.#changed = { promise, resolve }
    }
    return this.#changed.promise
  }

  /** The run is over: no timer of it may outlive it. */
  end(): void {
    clearTimeout(this.#timer)
  }

  /**
   * The budget of a hook starting at offset `at` whose own budget is `own`, or {@link SKIP}. When the
   * run is overdue, the hook's signal must start aborted with {@link Run.cause}.
   */
  #budget(own: number, at: number): number {
    this.#check(at)
    switch (this.#time) {
      // The deadline is the run's own to enforce: capping budgets with it would blame the hook.
      case 'in-time':
        return own
      case 'overdue':
        return Math.min(own, this.#finalGrace)
      default:
        return SKIP
    }
  }

  /** The deadline may have passed unseen (a blocked loop delays timers): `at` is an offset just read. */
  #check(at: number): void {
    if (at >= this.timeout && RANK[this.#time] < RANK.overdue) this.#expire()
  }

  #expire(): void {
    this.#move('overdue', new StopTimeoutError(this.#lifecycleRunning(), this.timeout))
  }

  #move(to: RunTime, cause: unknown): void {
    if (RANK[to] <= RANK[this.#time]) return
    this.#time = to
    this.#cause = cause
    if (to !== 'cancelled') clearTimeout(this.#timer)
    const changed = this.#changed
    this.#changed = undefined
    changed?.resolve()
  }
}

const NOT_ABORTED = Symbol('not aborted')

/**
 * @internal One hook in flight. It is also the context the hook receives: everything in it is
 * private but the context's getters, so a hook costs one object besides its report, and the report
 * (plain data, built when it settles) keeps nothing of the hook: neither its function nor its signal.
 */
export class HookRun implements StopContext, StartContext {
  readonly #entry: Entry
  /** Its entry's place in the phase: where its report goes. */
  readonly #slot: number
  readonly #run: Run
  readonly #at: number
  readonly #budget: number
  /** Started in time, so the run's deadline bounds it too (started overdue, `finalGrace` alone does). */
  readonly #inTime: boolean
  #report: HookReport | undefined
  #controller: AbortController | undefined
  #abortReason: unknown = NOT_ABORTED
  #details: Record<string, unknown> | undefined

  constructor(entry: Entry, slot: number, run: Run, at: number, budget: number) {
    this.#entry = entry
    this.#slot = slot
    this.#run = run
    this.#at = at
    this.#budget = budget
    this.#inTime = run.state === 'in-time'
  }

  /** The stop's reason (`undefined` in a start: `StartContext` has none). */
  get reason(): StopReason {
    return this.#run.reason as StopReason
  }

  /** Epoch ms at which this hook's budget (or the whole run's) ends. */
  get deadline(): number {
    const run = this.#run
    return run.originEpoch + Math.min(run.timeout, this.#at + this.#budget)
  }

  /** Created on first read: most hooks never look at their signal. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#abortReason !== NOT_ABORTED) this.#controller.abort(this.#abortReason)
    }
    return this.#controller.signal
  }

  get details(): Record<string, unknown> {
    this.#details ??= {}
    return this.#details
  }

  /** @internal */
  entry(): Entry {
    return this.#entry
  }

  /** @internal Its entry's place in the phase. */
  slot(): number {
    return this.#slot
  }

  /** @internal Its budget in ms. */
  budget(): number {
    return this.#budget
  }

  /** @internal Offset at which its budget ends. */
  budgetEnd(): number {
    return this.#at + this.#budget
  }

  /** @internal Its report once settled, `undefined` before. */
  report(): HookReport | undefined {
    return this.#report
  }

  /** @internal */
  abort(reason: unknown): void {
    if (this.#abortReason !== NOT_ABORTED) return
    this.#abortReason = reason
    this.#controller?.abort(reason)
  }

  /**
   * @internal Fixes the outcome at offset `at`. A hook that ran past its budget is `timeout`
   * whatever it returned: its timer may not have fired because the event loop was blocked.
   * `details` is copied here, so a hook given up on cannot change its report later.
   */
  end(status: HookStatus, error: unknown, at: number, kind: RunKind): HookReport {
    const run = this.#run
    const ran = at - this.#at
    if (status !== 'timeout' && (ran > this.#budget || (this.#inTime && at > run.timeout))) {
      const cause = status === 'error' ? error : undefined
      error =
        ran > this.#budget
          ? new HookTimeoutError(this.#entry.name, this.#budget, kind, round(ran), cause)
          : new StopTimeoutError([this.#entry.name], run.timeout, cause)
      status = 'timeout'
    }
    const { name, priority } = this.#entry
    const startMs = round(this.#at)
    const durationMs = round(ran)
    const details = this.#details
    const budgetMs = this.#budget
    // Most reports: one literal with every field, rather than fields added one by one (a second
    // allocation for them, per hook: the concurrent row of `npm run bench -- core`).
    if (status === 'ok' && details === undefined && Number.isFinite(budgetMs)) {
      this.#report = { name, priority, status, startMs, durationMs, budgetMs }
      return this.#report
    }
    const report: { -readonly [K in keyof HookReport]: HookReport[K] } = {
      name,
      priority,
      status,
      startMs,
      durationMs,
    }
    if (Number.isFinite(budgetMs)) report.budgetMs = budgetMs
    if (status !== 'ok') report.error = error
    if (details !== undefined && Object.keys(details).length > 0) report.details = { ...details }
    this.#report = report
    return report
  }
}

/** @internal Timings in ms to the microsecond: finer is noise, and it keeps the JSON short. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

function asError(hook: string, error: unknown): unknown {
  return isError(error) ? error : new NonErrorThrownError(hook, error)
}

/** Groups by priority: highest first for a stop, lowest first for a start. */
function phasesOf(entries: Iterable<Entry>, kind: RunKind): Entry[][] {
  const byPriority = new Map<number, Entry[]>()
  for (const entry of entries) {
    const group = byPriority.get(entry.priority)
    if (group) group.push(entry)
    else byPriority.set(entry.priority, [entry])
  }
  const sign = kind === 'stop' ? -1 : 1
  return [...byPriority.entries()].sort(([a], [b]) => sign * (a - b)).map(([, group]) => group)
}

/**
 * @internal The hooks of an interrupted start that the start gave up on (they outlived their
 * budget, or the stop's deadline or force), as a `start` phase of the stop's report: offsets from
 * the stop's origin, so they are negative for a hook that began before the stop.
 */
export function abandonedStart(phase: PhaseReport | undefined, shift: number): PhaseReport | undefined {
  const hooks: HookReport[] = []
  for (const hook of phase?.hooks ?? []) {
    if (!isGivenUp(hook)) continue
    hooks.push({ ...hook, startMs: round(hook.startMs + shift) })
  }
  if (phase === undefined || hooks.length === 0) return undefined
  return { ...phase, startMs: round(phase.startMs + shift), hooks }
}

/** Timed out, or abandoned when the run was forced: not a hook that answered its abort. */
function isGivenUp(hook: HookReport): boolean {
  if (hook.status === 'timeout') return true
  const code = (hook.error as { code?: unknown } | undefined)?.code
  return hook.status === 'error' && code === ErrorCode.FORCED
}
