import type { EventEmitter } from 'eventemitter3'
import { HookTimeoutError } from './errors.js'
import { asError, type Entry, HookRun, round, skipped } from './hook-run.js'
import type { Log } from './logger.js'
import { priorityName } from './priority.js'
import { type RunClock, type RunTime, SKIP } from './run-clock.js'
import type { HookReport, HookStatus, LifecycleEvents, PhaseReport, RunKind, StopReason } from './types.js'
import { isThenable } from './validate.js'

/** @internal A start or a stop under way: its clock, and the phase whose hooks are running. */
export interface Run {
  readonly kind: RunKind
  readonly clock: RunClock
  readonly events: EventEmitter<LifecycleEvents>
  readonly log: Log
  readonly reason: StopReason | undefined
  readonly sequential: boolean
  /** `lifecycle.running` and the deadline's error name its unsettled hooks. */
  current: Phase | undefined
  /** Hooks that did not end `ok` (skipped ones included): the report is `ok` when none. */
  notOk: number
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
  const label = name === undefined ? {} : { name }
  events.emit('phase:start', { kind, priority, ...label, hooks: entries.map((entry) => entry.name) })
  if (kind === 'stop') run.log.phase(priority, name, entries, clock.state)

  const phase = new Phase(run, entries.length)
  run.current = phase
  if (!run.sequential) {
    phase.start(entries, 0, entries.length)
    await phase.settled()
  } else {
    // Stop: last registered first. Start: first registered first, and it ends at its first failure.
    const stopping = kind === 'stop'
    for (let i = 0; i < entries.length && phase.started === i; i++) {
      const index = stopping ? entries.length - 1 - i : i
      phase.start(entries, index, index + 1)
      await phase.settled()
      if (!stopping && phase.hooks[index]?.status !== 'ok') break
    }
  }
  run.current = undefined
  // Hooks that never started (a forced run, a failed sequential start) are `skipped`.
  const at = round(clock.elapsed())
  for (let i = 0; i < entries.length; i++) {
    if (phase.hooks[i] !== undefined) continue
    phase.hooks[i] = skipped(entries[i] as Entry, at)
    run.notOk++
  }
  const report: PhaseReport = {
    kind,
    priority,
    ...label,
    startMs: round(startMs),
    durationMs: round(clock.elapsed() - startMs),
    hooks: phase.hooks as HookReport[],
  }
  events.emit('phase:end', report, kind)
  return report
}

/** @internal The hooks of one phase in flight, and the wait until each has settled or been given up on. */
export class Phase {
  /** Reports by entry index, filled as hooks settle. */
  readonly hooks: (HookReport | undefined)[]
  /** Hooks started so far, in the order they started. */
  started = 0
  readonly #run: Run
  /** Every hook started, settled or not: few allocations per hook, one scan per wake. */
  readonly #runs: HookRun[] = []
  #pending = 0
  /** The clock's state the waiting has acted on: a change from it (even mid-start) is acted on. */
  #seen: RunTime
  #wake: (() => void) | undefined
  /**
   * Per-hook events cost ~8,000 instructions a hook with no listener (the payload, and the rest
   * arguments of the lifecycle's guarded \`emit\`): asked once a phase, not once a hook
   * (\`npm run bench -- core\`, concurrent stop row).
   */
  readonly #emitEnd: boolean
  readonly #emitStart: boolean

  constructor(run: Run, size: number) {
    this.#run = run
    this.#emitStart = run.events.listenerCount('hook:start') > 0
    this.#emitEnd = run.events.listenerCount('hook:end') > 0
    this.hooks = new Array<HookReport | undefined>(size)
    this.#seen = run.clock.state
  }

  /** Names of the hooks still running. */
  running(): string[] {
    const names: string[] = []
    for (const hook of this.#runs) if (hook.report() === undefined) names.push(hook.entry().name)
    return names
  }

  /** Calls the hooks of `entries[from..to)`; one clock read both ends one hook's synchronous part and starts the next. */
  start(entries: readonly Entry[], from: number, to: number): void {
    const { clock, events, kind, reason } = this.#run
    const stopping = kind === 'stop'
    let at = clock.elapsed()
    for (let i = from; i < to; i++) {
      const entry = entries[i] as Entry
      const budget = clock.next(stopping ? entry.timeout : entry.startTimeout, at)
      if (budget === SKIP) return
      const hook = new HookRun(entry, i, clock, reason, at, budget)
      this.started++
      this.#runs.push(hook)
      this.#pending++
      if (clock.state === 'overdue') hook.abort(clock.reason)
      if (this.#emitStart) events.emit('hook:start', { kind, name: entry.name, priority: entry.priority })
      let result: unknown
      try {
        result = stopping ? entry.stop?.(hook) : entry.start?.(hook)
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
          () => this.#settle(hook, 'ok', undefined, clock.elapsed()),
          (error: unknown) => this.#settle(hook, 'error', asError(entry.name, error), clock.elapsed()),
        )
      } catch (error) {
        // A foreign thenable whose `then` throws: the hook failed, as if it had thrown.
        this.#settle(hook, 'error', asError(entry.name, error), at)
      }
    }
  }

  #settle(hook: HookRun, status: HookStatus, error: unknown, at: number): void {
    if (hook.report() !== undefined) return
    const { kind, log, events } = this.#run
    const report = hook.end(status, error, at, kind)
    this.hooks[hook.slot()] = report
    if (report.status === 'ok') {
      if (kind === 'start') hook.entry().started = true
    } else this.#run.notOk++
    if (report.status === 'timeout' && status !== 'timeout') log.overBudget(report, kind, false)
    if (this.#emitEnd) events.emit('hook:end', report, kind)
    if (--this.#pending === 0) this.#wake?.()
  }

  /** Waits until every hook started so far has settled, or its budget or the run's time has run out. */
  async settled(): Promise<void> {
    if (this.#pending === 0) return
    const { clock } = this.#run
    // A hook that returned a settled promise settles one microtask later: waiting that long first
    // spares a timer per hook (`sequential: true` row of `npm run bench -- core`).
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
      for (const hook of this.#runs)
        if (hook.report() === undefined) nextEnd = Math.min(nextEnd, hook.budgetEnd())
      if (nextEnd <= at) {
        this.#timeOut(nextEnd)
        continue
      }
      await this.#sleep(nextEnd - at)
    }
  }

  /** Until the last hook settles, the clock changes, or `ms` pass. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(wake, ms)
      const run = this.#run.clock
      function wake(): void {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = wake
      run.changed().then(wake)
    })
  }

  /** Every hook whose budget ends at `end` (or earlier) is out of time. */
  #timeOut(end: number): void {
    const { kind, log, clock } = this.#run
    for (const hook of this.#runs) {
      if (hook.report() !== undefined || hook.budgetEnd() > end) continue
      const error = new HookTimeoutError(hook.entry().name, hook.budget(), kind)
      hook.abort(error)
      this.#settle(hook, 'timeout', error, clock.elapsed())
      log.overBudget(hook.report() as HookReport, kind, true)
    }
  }

  /** Cancelled: the hooks are told and still awaited. Overdue or forced: they are given up on. */
  #onClockChange(state: RunTime): void {
    const { clock } = this.#run
    const reason = clock.reason
    const giveUp = state === 'overdue' || state === 'forced'
    const at = clock.elapsed()
    for (const hook of this.#runs) {
      if (hook.report() !== undefined) continue
      hook.abort(reason)
      if (giveUp) this.#settle(hook, clock.abandonedStatus, reason, at)
    }
  }
}
