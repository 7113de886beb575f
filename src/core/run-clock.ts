import { TimeoutError } from 'p-timeout'
import { StopTimeoutError } from './errors.js'

/**
 * Where a run stands against its time:
 * - `in-time`: every hook gets its own budget and a live signal;
 * - `cancelled` (a start that a stop interrupted): the running hooks' signals abort, they are still
 *   waited for within their own budgets, and no further hook starts;
 * - `overdue` (the stop's deadline passed): the running hooks are aborted and given up on; each hook
 *   still to come runs with an aborted signal and at most `finalGrace`;
 * - `forced`: the running hooks are aborted and given up on; no further hook starts.
 *
 * Moves only forward: in-time → cancelled → overdue → forced, skipping any. The clock moves itself to
 * `overdue` when the deadline passes (by its timer, or found late by {@link RunClock.check} when a
 * blocked event loop kept the timer from firing); the lifecycle cancels a start and forces a run.
 */
export type RunTime = 'in-time' | 'cancelled' | 'overdue' | 'forced'

const RANK: Record<RunTime, number> = { 'in-time': 0, cancelled: 1, overdue: 2, forced: 3 }

/** The budget {@link RunClock.next} gives a hook that must not start. */
export const SKIP = -1

/** @internal One run's time: what budget and which signal the next hook gets. */
export class RunClock {
  /** `now()` when the run began: report offsets are relative to it. */
  readonly origin: number
  /** `Date.now()` at `origin`. */
  readonly originEpoch: number
  readonly now: () => number
  /** Offset from `origin` at which the run is overdue (`Infinity` for a start). */
  readonly deadline: number
  readonly #timeout: number
  readonly #finalGrace: number
  /** Names what was running when the deadline passed, for the error that says so. */
  readonly #running: () => string[]
  #state: RunTime = 'in-time'
  #reason: unknown
  #timer: ReturnType<typeof setTimeout> | undefined
  /** Settles at the next change of state: what a waiting phase or stop awaits beside its hooks. */
  #changed: { promise: Promise<void>; resolve: () => void } | undefined

  constructor(now: () => number, timeout: number, finalGrace: number, running: () => string[]) {
    this.now = now
    this.origin = now()
    this.originEpoch = Date.now()
    this.#timeout = timeout
    this.#finalGrace = finalGrace
    this.#running = running
    this.deadline = timeout
    if (Number.isFinite(timeout)) this.#timer = setTimeout(() => this.#expire(), timeout)
  }

  /** The run's budget in ms (`Infinity` for a start). */
  get timeout(): number {
    return this.#timeout
  }

  get state(): RunTime {
    return this.#state
  }

  /** Why the run left `in-time`: a `StoppingError`, a `StopTimeoutError` or a `ForcedStopError`. */
  get reason(): unknown {
    return this.#reason
  }

  /** A hook given up on for this reason ends `timeout` when it is a timeout, `error` otherwise. */
  get abandonedStatus(): 'timeout' | 'error' {
    return this.#reason instanceof TimeoutError ? 'timeout' : 'error'
  }

  /** ms since the run began. */
  elapsed(): number {
    return this.now() - this.origin
  }

  /** The deadline may have passed unseen (a blocked loop delays timers): `at` is an offset just read. */
  check(at: number): void {
    if (at >= this.deadline && RANK[this.#state] < RANK.overdue) this.#expire()
  }

  /**
   * The budget of a hook starting at offset `at` whose own budget is `own`, or {@link SKIP}. When the
   * run is overdue, the hook's signal must start aborted with {@link RunClock.reason}.
   */
  next(own: number, at: number): number {
    this.check(at)
    switch (this.#state) {
      // The deadline is the clock's own to enforce: capping budgets with it would blame the hook.
      case 'in-time':
        return own
      case 'overdue':
        return Math.min(own, this.#finalGrace)
      default:
        return SKIP
    }
  }

  cancel(reason: unknown): void {
    this.#move('cancelled', reason)
  }

  force(reason: unknown): void {
    this.#move('forced', reason)
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

  #expire(): void {
    this.#move('overdue', new StopTimeoutError(this.#running(), this.#timeout))
  }

  #move(to: RunTime, reason: unknown): void {
    if (RANK[to] <= RANK[this.#state]) return
    this.#state = to
    this.#reason = reason
    if (to !== 'cancelled') clearTimeout(this.#timer)
    const changed = this.#changed
    this.#changed = undefined
    changed?.resolve()
  }
}
