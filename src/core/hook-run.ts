import { HookTimeoutError, NonErrorThrownError, StopTimeoutError } from './errors.js'
import type { RunClock } from './run-clock.js'
import type { HookReport, HookStatus, RunKind, StopReason } from './types.js'

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
  // Private, so that the report's own keys are the documented fields only.
  readonly #entry: Entry
  #budgetEnd = Number.POSITIVE_INFINITY
  #runDeadline = Number.POSITIVE_INFINITY
  #settled = false
  #controller: AbortController | undefined
  #abortReason: unknown
  #aborted = false
  #details: Record<string, unknown> | undefined

  constructor(entry: Entry, at: number) {
    this.#entry = entry
    this.name = entry.name
    this.priority = entry.priority
    this.startMs = at
  }

  get entry(): Entry {
    return this.#entry
  }

  /** Offset at which its budget ends. */
  get budgetEnd(): number {
    return this.#budgetEnd
  }

  get settled(): boolean {
    return this.#settled
  }

  /** `runDeadline`: the offset at which the whole run is overdue, when it bounds this hook. */
  begin(budget: number, runDeadline: number): void {
    this.#runDeadline = runDeadline
    this.#budgetEnd = this.startMs + budget
    if (Number.isFinite(budget)) this.budgetMs = round(budget)
  }

  /** Created on first read: most hooks never look at their signal. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
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

  /**
   * Fixes the outcome at offset `at`. A hook that ran past its budget is `timeout` whatever it
   * returned: its timer may not have fired because the event loop was blocked. `details` is copied
   * here, so a hook given up on cannot change its report later.
   */
  end(status: HookStatus, error: unknown, at: number, kind: RunKind, runTimeout: number): void {
    this.#settled = true
    if (status !== 'timeout' && at > Math.min(this.#budgetEnd, this.#runDeadline)) {
      const cause = status === 'error' ? error : undefined
      const ran = round(at - this.startMs)
      const budget = round(this.#budgetEnd - this.startMs)
      error =
        at > this.#budgetEnd
          ? new HookTimeoutError(this.name, budget, kind, ran, cause)
          : new StopTimeoutError([this.name], runTimeout, cause)
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
  readonly reason: StopReason | undefined
  readonly deadline: number
  constructor(run: HookRun, clock: RunClock, reason: StopReason | undefined) {
    this.#run = run
    this.reason = reason
    this.deadline = clock.originEpoch + Math.min(clock.deadline, run.budgetEnd)
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
  readonly deadline: number
  constructor(run: HookRun, clock: RunClock) {
    this.#run = run
    this.deadline = clock.originEpoch + Math.min(clock.deadline, run.budgetEnd)
  }
  get signal(): AbortSignal {
    return this.#run.signal
  }
}

/** @internal */
export function asError(hook: string, error: unknown): unknown {
  return error instanceof Error ? error : new NonErrorThrownError(hook, error)
}
