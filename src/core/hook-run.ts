import { HookTimeoutError, NonErrorThrownError, StopTimeoutError } from './errors.js'
import { isError } from './foreign.js'
import type { RunClock } from './run-clock.js'
import type {
  BudgetContext,
  HookReport,
  HookStatus,
  RunKind,
  StartContext,
  StartHook,
  StopContext,
  StopHook,
  StopReason,
} from './types.js'

/** @internal A registered component, as the runner sees it. */
export interface Entry {
  readonly name: string
  readonly priority: number
  readonly order: number
  readonly start: StartHook | undefined
  readonly stop: StopHook | undefined
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

/** @internal The report of a hook that never started: its phase was forced, or its start failed before it. */
export function skipped(entry: Entry, at: number): HookReport {
  return { name: entry.name, priority: entry.priority, status: 'skipped', startMs: at, durationMs: 0 }
}

/**
 * @internal One hook in flight. It is also the context the hook receives: everything in it is
 * private but the context's getters, so a hook costs one object besides its report, and the report
 * (plain data, built when it settles) keeps nothing of the hook: neither its function nor its signal.
 */
export class HookRun implements StopContext, StartContext {
  /** Its entry's place in the phase: where its report goes. */
  readonly #slot: number
  readonly #entry: Entry
  readonly #clock: RunClock
  readonly #reason: StopReason | undefined
  readonly #at: number
  readonly #budget: number
  /** Started in time, so the run's deadline bounds it too (started overdue, `finalGrace` alone does). */
  readonly #inTime: boolean
  #report: HookReport | undefined
  #controller: AbortController | undefined
  #abortReason: unknown = NOT_ABORTED
  #details: Record<string, unknown> | undefined

  constructor(
    entry: Entry,
    index: number,
    clock: RunClock,
    reason: StopReason | undefined,
    at: number,
    budget: number,
  ) {
    this.#slot = index
    this.#entry = entry
    this.#clock = clock
    this.#reason = reason
    this.#at = at
    this.#budget = budget
    this.#inTime = clock.state === 'in-time'
  }

  /** The stop's reason (`undefined` in a start: `StartContext` has none). */
  get reason(): StopReason {
    return this.#reason as StopReason
  }

  /** Epoch ms at which this hook's budget (or the whole run's) ends. */
  get deadline(): number {
    return this.#clock.originEpoch + Math.min(this.#clock.deadline, this.#at + this.#budget)
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
    const clock = this.#clock
    const ran = at - this.#at
    if (status !== 'timeout' && (ran > this.#budget || (this.#inTime && at > clock.deadline))) {
      const cause = status === 'error' ? error : undefined
      error =
        ran > this.#budget
          ? new HookTimeoutError(this.#entry.name, this.#budget, kind, round(ran), cause)
          : new StopTimeoutError([this.#entry.name], clock.timeout, cause)
      status = 'timeout'
    }
    const report: { -readonly [K in keyof HookReport]: HookReport[K] } = {
      name: this.#entry.name,
      priority: this.#entry.priority,
      status,
      startMs: round(this.#at),
      durationMs: round(ran),
    }
    if (Number.isFinite(this.#budget)) report.budgetMs = this.#budget
    if (status !== 'ok') report.error = error
    const details = this.#details
    if (details !== undefined && Object.keys(details).length > 0) report.details = { ...details }
    this.#report = report
    return report
  }
}

/** @internal */
export function asError(hook: string, error: unknown): unknown {
  return isError(error) ? error : new NonErrorThrownError(hook, error)
}
