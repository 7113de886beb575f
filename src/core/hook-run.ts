import { HookTimeoutError, NonErrorThrownError, StopTimeoutError } from './errors.js'
import { isError } from './foreign.js'
import type { RunClock } from './run-clock.js'
import type { BudgetContext, HookReport, HookStatus, RunKind, StopReason } from './types.js'

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
  /** The component's own budget check (`Component.checkBudget`). */
  readonly budgetCheck?: ((budgets: BudgetContext) => readonly string[]) | undefined
}

const NOT_ABORTED = Symbol('not aborted')

/** @internal Timings in ms to the microsecond: finer is noise, and it keeps the JSON short. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/**
 * @internal One hook in flight, and afterwards its {@link HookReport}: the run is the report, so a
 * stop with ten thousand hooks does not copy ten thousand objects.
 */
export class HookRun implements HookReport {
  readonly name: string
  readonly priority: number
  status: HookStatus = 'skipped'
  startMs: number
  durationMs = 0
  declare budgetMs?: number
  declare error?: unknown
  declare details?: Record<string, unknown>
  // Private, so that the report's own keys are the documented fields only. Few and small: a
  // stop of ten thousand hooks allocates ten thousand of these.
  readonly #entry: Entry
  readonly #budget: number
  /** Started in time, so the run's deadline bounds it too (started overdue, `finalGrace` alone does). */
  readonly #inTime: boolean
  #settled = false
  #controller: AbortController | undefined
  #abortReason: unknown = NOT_ABORTED
  #details: Record<string, unknown> | undefined

  /** A hook given `budget` ms from offset `at`; one built without a budget never ran: `skipped`. */
  constructor(entry: Entry, at: number, budget = Number.NaN, inTime = false) {
    this.#entry = entry
    this.name = entry.name
    this.priority = entry.priority
    this.startMs = at
    this.#budget = budget
    this.#inTime = inTime
    if (Number.isFinite(budget)) this.budgetMs = budget
    // One that never ran is settled from the start: nothing waits for it.
    else this.#settled = Number.isNaN(budget)
  }

  get entry(): Entry {
    return this.#entry
  }

  /** Offset at which its budget ends. */
  get budgetEnd(): number {
    return this.startMs + this.#budget
  }

  get settled(): boolean {
    return this.#settled
  }

  /** Created on first read: most hooks never look at their signal. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#abortReason !== NOT_ABORTED) this.#controller.abort(this.#abortReason)
    }
    return this.#controller.signal
  }

  get liveDetails(): Record<string, unknown> {
    this.#details ??= {}
    return this.#details
  }

  abort(reason: unknown): void {
    if (this.#abortReason !== NOT_ABORTED) return
    this.#abortReason = reason
    this.#controller?.abort(reason)
  }

  /**
   * Fixes the outcome at offset `at`. A hook that ran past its budget is `timeout` whatever it
   * returned: its timer may not have fired because the event loop was blocked. `details` is copied
   * here, so a hook given up on cannot change its report later.
   */
  end(status: HookStatus, error: unknown, at: number, kind: RunKind, clock: RunClock): void {
    this.#settled = true
    const ran = at - this.startMs
    if (status !== 'timeout' && (ran > this.#budget || (this.#inTime && at > clock.deadline))) {
      const cause = status === 'error' ? error : undefined
      error =
        ran > this.#budget
          ? new HookTimeoutError(this.name, this.#budget, kind, round(ran), cause)
          : new StopTimeoutError([this.name], clock.timeout, cause)
      status = 'timeout'
    }
    this.status = status
    if (status !== 'ok') this.error = error
    this.startMs = round(this.startMs)
    this.durationMs = round(at - this.startMs)
    if (this.#details !== undefined && Object.keys(this.#details).length > 0)
      this.details = { ...this.#details }
  }
}

/** What a stop hook sees: prototype getters, so a context costs one small allocation. */
export class StopHookContext {
  readonly #run: HookRun
  readonly #clock: RunClock
  readonly reason: StopReason | undefined
  constructor(run: HookRun, clock: RunClock, reason: StopReason | undefined) {
    this.#run = run
    this.#clock = clock
    this.reason = reason
  }
  /** Epoch ms at which this hook's budget (or the whole run's) ends. */
  get deadline(): number {
    return this.#clock.originEpoch + Math.min(this.#clock.deadline, this.#run.budgetEnd)
  }
  get signal(): AbortSignal {
    return this.#run.signal
  }
  get details(): Record<string, unknown> {
    return this.#run.liveDetails
  }
}

/** What a start hook sees. */
export class StartHookContext {
  readonly #run: HookRun
  readonly #clock: RunClock
  constructor(run: HookRun, clock: RunClock) {
    this.#run = run
    this.#clock = clock
  }
  /** Epoch ms at which this hook's budget ends. */
  get deadline(): number {
    return this.#clock.originEpoch + Math.min(this.#clock.deadline, this.#run.budgetEnd)
  }
  get signal(): AbortSignal {
    return this.#run.signal
  }
}

/** @internal */
export function asError(hook: string, error: unknown): unknown {
  return isError(error) ? error : new NonErrorThrownError(hook, error)
}
