/** Why a stop happened. */
export type StopReason =
  | { readonly type: 'manual' }
  | { readonly type: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly type: 'error'; readonly error: unknown }
  | { readonly type: 'disposed' }

/** How a hook ended. `skipped`: its phase never ran because the stop was forced. */
export type HookStatus = 'ok' | 'error' | 'timeout' | 'skipped'

/** One hook's outcome in a {@link ShutdownReport}. */
export interface HookReport {
  readonly name: string
  readonly priority: number
  readonly status: HookStatus
  /** Offset from the start of the stop, in ms. */
  readonly startMs: number
  readonly durationMs: number
  /**
   * The budget the hook ran with, in ms (its own timeout, capped by what was left of the run's);
   * absent when it never ran. A `timeout` hook whose `durationMs` exceeds it ran that much over.
   */
  readonly budgetMs?: number
  readonly error?: unknown
  /** What the hook added through `context.details` (an HTTP hook's drained/closed counts). */
  readonly details?: Record<string, unknown>
}

/** The hooks of one priority, run together. */
export interface PhaseReport {
  /**
   * `'stop'`, or `'start'` for a phase of a start that this stop interrupted: its hooks were given
   * up on, and their offsets are negative when they began before the stop.
   */
  readonly kind: RunKind
  readonly priority: number
  /** The tier name (`'INGRESS'`) when the priority is one of {@link Priority}. */
  readonly name?: string
  readonly startMs: number
  readonly durationMs: number
  readonly hooks: readonly HookReport[]
}

/** What `stop()` resolves with and `ShutdownError.report` carries. */
export interface ShutdownReport {
  readonly reason: StopReason
  /** Every hook ended `ok`. */
  readonly ok: boolean
  /** Epoch ms. */
  readonly startedAt: number
  readonly durationMs: number
  /** In the order they ran. */
  readonly phases: readonly PhaseReport[]
  /** A readable table of phase and hook timings (what the console logger writes beneath the timeline). */
  toString(): string
  /**
   * Phases and hooks as bars on a shared time axis, budgets marked, failures highlighted
   * (`color: true` adds ANSI colours; what the console logger prints above the table).
   */
  toTimeline(options?: TimelineOptions): string
  /** Stable key order; errors as `{ name, message, code?, cause? }`. */
  toJSON(): ShutdownReportJSON
}

/** `JSON.parse(JSON.stringify(report))`. */
export interface ShutdownReportJSON {
  reason: Record<string, unknown>
  ok: boolean
  startedAt: number
  durationMs: number
  phases: {
    kind: RunKind
    priority: number
    name?: string
    startMs: number
    durationMs: number
    hooks: {
      name: string
      priority: number
      status: HookStatus
      startMs: number
      durationMs: number
      budgetMs?: number
      /** The error as JSON, lossless apart from the stack; `cause` and `errors` serialized the same way. */
      error?: {
        name: string
        message: string
        code?: string
        cause?: unknown
        errors?: unknown[]
        [key: string]: unknown
      }
      details?: Record<string, unknown>
    }[]
  }[]
}

/** What a stop hook receives. */
export interface StopContext {
  /** Aborts when the hook's own budget expires, the whole stop's deadline expires, or the stop is forced. */
  readonly signal: AbortSignal
  readonly reason: StopReason
  /** Epoch ms at which this hook's budget ends. */
  readonly deadline: number
  /** Add numbers and facts here; they appear in the hook's report as `details`. */
  readonly details: Record<string, unknown>
}

/** What a start hook receives. */
export interface StartContext {
  /** Aborts when the hook's start budget expires or a stop begins during the start. */
  readonly signal: AbortSignal
  /** Epoch ms at which this hook's budget ends. */
  readonly deadline: number
}

/** A start hook. */
export type StartHook = (context: StartContext) => unknown
/** A stop hook. */
export type StopHook = (context: StopContext) => unknown

/**
 * What a component's `attach` is given when `register()` accepts it: what it may need of the
 * lifecycle, and nothing more (no reference back to the lifecycle itself).
 */
export interface AttachContext {
  /** The name the component was registered under. */
  readonly name: string
  /** `lifecycle.signal`: aborts the moment a stop begins, before this component's own phase. */
  readonly stopping: AbortSignal
  /** The lifecycle's state right now. */
  readonly state: () => LifecycleState
  /** The lifecycle's logger (a silent one when it was given `logger: false`). */
  readonly log: Logger
  /**
   * Starts a stop with `reason` (`lifecycle.stop(reason)`); its outcome is the stop's, reported
   * there. Called during `attach`, the stop begins once the component is registered. A bad reason
   * throws an `InvalidArgumentError`.
   */
  readonly requestStop: (reason: StopReason) => void
}

/** What `attach` returns: undoes it when the component is unregistered outside a stop. */
export type Detach = () => void

/** What a component's `checkBudget` is given: the lifecycle's resolved budgets. */
export interface BudgetContext {
  readonly timeout: number
  readonly gracePeriod: number | undefined
  /**
   * The name the component is registered under, for its sentences: a copy with another `name`
   * (`{ ...drainDelay(5_000), name: 'lb-delay' }`) is named as registered. `lifecycle.checkBudgets()`
   * always passes it.
   */
  readonly name?: string
}

/**
 * What `register()` takes: plain data. Everything a component does on registration is its
 * `attach` member, so a copy (`{ ...httpServer(server), timeout: 3_000 }`) is the same component.
 */
export interface Component {
  /** Unique and non-empty. */
  readonly name: string
  /** Higher stops earlier. @default Priority.DEFAULT */
  readonly priority?: number
  readonly start?: StartHook
  readonly stop?: StopHook
  /** This component's stop budget in ms. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** This component's start budget in ms. @default the lifecycle's `startTimeout` */
  readonly startTimeout?: number
  /**
   * Called once by `register()`, after every check has passed (so a refused registration leaves
   * nothing behind): claim a server, add listeners. Returns what undoes it on unregistration, or
   * `undefined` (anything else is refused). A throw refuses the registration.
   */
  readonly attach?: (context: AttachContext) => Detach | undefined
  /** Sentences about budgets that cannot fit (`lifecycle.checkBudgets()` adds them). */
  readonly checkBudget?: (budgets: BudgetContext) => readonly string[]
}

/** Options of `onStop()` / `onStart()`. */
export interface HookOptions {
  /** @default Priority.DEFAULT */
  readonly priority?: number
  /** This hook's budget in ms. */
  readonly timeout?: number
}

/** Anything shaped like `console` or a pino logger. */
export interface Logger {
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
  debug?(...args: unknown[]): void
}

/** `idle → starting → running → stopping → stopped`. */
export type LifecycleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped'

/** Which run a phase or hook event belongs to. */
export type RunKind = 'start' | 'stop'

/** Payload of `phase:start`. */
export interface PhaseStartEvent {
  readonly kind: RunKind
  readonly priority: number
  readonly name?: string
  readonly hooks: readonly string[]
}

/** Payload of `hook:start`. */
export interface HookStartEvent {
  readonly kind: RunKind
  readonly name: string
  readonly priority: number
}

/** Typed events of a {@link Lifecycle}. */
export interface LifecycleEvents {
  starting: []
  started: []
  stopping: [reason: StopReason]
  'phase:start': [event: PhaseStartEvent]
  'phase:end': [phase: PhaseReport, kind: RunKind]
  'hook:start': [event: HookStartEvent]
  'hook:end': [hook: HookReport, kind: RunKind]
  stopped: [report: ShutdownReport]
  /** A budget that cannot fit, a tracked task that failed: also written to the logger. */
  warning: [message: string]
}

/**
 * How to draw a timeline.
 *
 * @example
 * ```ts
 * report.toTimeline({ width: 80, color: shouldColor(process.stdout) })
 * ```
 */
export interface TimelineOptions {
  /** Columns of the time axis. @default 50 */
  readonly width?: number
  /** ANSI colours (what the console logger uses on a TTY). @default false */
  readonly color?: boolean
}

/**
 * One event of the Chrome trace-event format (the subset `formatTrace()` of `graceful-lifecycle/report` writes).
 *
 * @example
 * ```ts
 * const timeouts = formatTrace(report).traceEvents.filter((event) => event.cat === 'hook,timeout')
 * ```
 */
export interface TraceEvent {
  /** `X`: a complete slice with `dur`; `M`: metadata naming a process or thread. */
  readonly ph: 'X' | 'M'
  readonly name: string
  readonly cat?: string
  readonly pid: number
  readonly tid: number
  /** Microseconds since the epoch. */
  readonly ts: number
  /** Microseconds. */
  readonly dur?: number
  readonly args?: Record<string, unknown>
}

/**
 * The JSON-object form of the trace-event format: what Perfetto and `chrome://tracing` open.
 *
 * @example
 * ```ts
 * const trace: TraceFile = formatTrace(report)
 * writeFileSync('stop.trace.json', JSON.stringify(trace))
 * ```
 */
export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[]
  readonly displayTimeUnit: 'ms'
  readonly otherData: Record<string, unknown>
}
