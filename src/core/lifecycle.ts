import type { EventEmitter as Emitter } from 'eventemitter3'
import { checkAllBudgets, checkEntryBudget, checkLifecycleBudgets, checkPhaseGrace } from './budgets.js'
import { EventEmitter } from './emitter.js'
import { ForcedStopError, InvalidStateError, ShutdownError, StartError, StoppingError } from './errors.js'
import { safeString } from './foreign.js'
import { createLog, type Log } from './logger.js'
import { type LifecycleOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { Priority } from './priority.js'
import { Report } from './report/report.js'
import { abandonedStart, type Entry, Run, round, type StartOutcome } from './run.js'
import { handleSignals as installSignalHandler } from './signals/handle-signals.js'
import type { HandleSignalsOptions } from './signals/options.js'
import { stoppingSignal } from './stopping-signal.js'
import { Tracker } from './tracker.js'
import type {
  AttachContext,
  Component,
  Detach,
  HookOptions,
  LifecycleEvents,
  LifecycleState,
  Logger,
  ShutdownReport,
  StartHook,
  StopHook,
  StopReason,
} from './types.js'
import { fail } from './validate.js'
import { readReason, validateComponent, validateHook } from './validate-component.js'

const SILENT_LOGGER: Logger = { info() {}, warn() {}, error() {} }

const noop = (): void => {}

/**
 * One per process: every component registers how it starts and stops, and one call stops them
 * all in priority order, each hook within its budget, and reports how long each step took.
 *
 * How a run works is in docs/lifecycle.md ("The run engine"): this class keeps the registry, the
 * state and the events; a `Run` (`run.ts`) is one start or one stop, its time and its hooks.
 *
 * @example
 * ```ts
 * const lifecycle = new Lifecycle({ timeout: 25_000 })
 * lifecycle.register({ name: 'db', priority: Priority.RESOURCES, start: () => pool.connect(), stop: () => pool.end() })
 * lifecycle.handleSignals()
 * await lifecycle.start()
 * ```
 */
export class Lifecycle extends EventEmitter<LifecycleEvents> {
  readonly #options: ResolvedOptions
  readonly #log: Log
  readonly #entries = new Map<string, Entry>()
  readonly #stopping = new AbortController()
  readonly #signal: AbortSignal
  readonly #tracker: Tracker
  #state: LifecycleState = 'idle'
  #startRun: Run | undefined
  #startPromise: Promise<void> | undefined
  /** How the start's phases ended: what a stop that interrupted it awaits, rather than reads. */
  #startOutcome: Promise<StartOutcome> | undefined
  #stopRun: Run | undefined
  #stopPromise: Promise<ShutdownReport> | undefined
  #warnedReentry = false

  constructor(options?: LifecycleOptions) {
    super()
    this.#options = resolveOptions(options)
    this.#log = createLog(this.#options.logger)
    this.#tracker = new Tracker(this.#log, (message) => this.emit('warning', message))
    this.#signal = stoppingSignal(this.#stopping, (error) => {
      this.#log.error('an abort listener of `lifecycle.signal` threw; the stop goes on', error)
      this.emit('warning', `an abort listener of \`lifecycle.signal\` threw: ${describe(error)}`)
    })
    const warnings = checkLifecycleBudgets(this.#options)
    for (const warning of warnings) this.#log.warn(warning)
    // Nobody can listen during the constructor: emit once the caller has had a chance to.
    if (warnings.length > 0)
      queueMicrotask(() => {
        for (const warning of warnings) this.emit('warning', warning)
      })
  }

  /**
   * Emits like any EventEmitter (in order; a `once` listener is removed before it is called), but
   * each listener in its own `try`: one that throws is logged, and the listeners after it are still
   * called (before, they were skipped: a throwing `stopping` listener added before `handleSignals()`
   * kept its exit from ever happening) and the start or stop goes on.
   */
  override emit<T extends Emitter.EventNames<LifecycleEvents>>(
    event: T,
    ...args: Emitter.EventArgs<LifecycleEvents, T>
  ): boolean {
    let registered: Listener | Listener[] | undefined
    try {
      registered = listenersOf(this, event)
    } catch (error) {
      // An event whose name cannot be turned into a key (a Proxy whose traps throw).
      this.#log.error(`a \`${safeString(event)}\` listener threw; the lifecycle goes on`, error)
      return true
    }
    if (registered === undefined) return false
    const list = Array.isArray(registered) ? registered.slice() : [registered]
    for (const listener of list) {
      if (listener.once) this.removeListener(event, listener.fn, undefined, true)
      try {
        listener.fn.apply(listener.context, args)
      } catch (error) {
        this.#log.error(`a \`${safeString(event)}\` listener threw; the lifecycle goes on`, error)
      }
    }
    return true
  }

  /** `idle → starting → running → stopping → stopped`. */
  get state(): LifecycleState {
    return this.#state
  }

  /**
   * Aborts the moment a stop begins (reason: a `StoppingError`): long-running loops watch it
   * the way goroutines watch `ctx.Done()`.
   *
   * @example
   * ```ts
   * while (!lifecycle.signal.aborted) await poll()
   * ```
   */
  get signal(): AbortSignal {
    return this.#signal
  }

  /** Names of the hooks running right now (what a forced stop would abandon). */
  get running(): readonly string[] {
    const start = this.#startRun?.running() ?? []
    const stop = this.#stopRun?.running()
    return stop === undefined ? start : [...start, ...stop]
  }

  /** The resolved options, defaults filled in. */
  get options(): Required<Omit<LifecycleOptions, 'now' | 'gracePeriod'>> & {
    readonly gracePeriod: number | undefined
  } {
    const { now: _now, ...rest } = this.#options
    return rest
  }

  /**
   * Registers a component. Returns a function that unregisters it (a stop already under way
   * still stops it, and its `attach` is undone once that stop has ended). A component that
   * `register()` refuses leaves nothing behind.
   *
   * @example
   * ```ts
   * const off = lifecycle.register({ name: 'db', priority: Priority.RESOURCES, stop: () => pool.end(), timeout: 5_000 })
   * ```
   */
  register(component: Component): () => void {
    const c = validateComponent(component, this.#entries, this.#state)
    const entry: Entry = {
      name: c.name,
      priority: c.priority ?? Priority.DEFAULT,
      start: c.start,
      stop: c.stop,
      timeout: c.timeout ?? this.#options.hookTimeout,
      startTimeout: c.startTimeout ?? this.#options.startTimeout,
      started: c.start === undefined,
      budgetCheck: c.checkBudget,
    }
    if (c.attach === undefined) return this.#add(entry, undefined)
    // A stop requested during `attach` begins once the component is in the registry, so that it
    // stops this component too (before, the stop began without it and it was never stopped).
    let requested: StopReason | undefined
    let attaching = true
    const context = this.#attachContext(entry.name, (reason) => {
      if (attaching) requested ??= reason
      else this.stop(reason).catch(() => {})
    })
    let detach: unknown
    try {
      detach = c.attach(context)
    } finally {
      attaching = false
    }
    if (detach !== undefined && typeof detach !== 'function') {
      fail(
        `component \`${entry.name}\``,
        'attach',
        'a function that returns its detach function or undefined',
        detach,
      )
    }
    const undo = detach as Detach | undefined
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      // `attach` itself began the stop (through the lifecycle): too late to be part of it.
      undo?.()
      throw new InvalidStateError(
        `Cannot register component \`${entry.name}\`: the lifecycle began stopping during its \`attach\``,
      )
    }
    const off = this.#add(entry, undo)
    if (requested !== undefined) this.stop(requested).catch(() => {})
    return off
  }

  /** Every registration ends here, checked: the entry joins the registry; returns its undo. */
  #add(entry: Entry, detach: (() => void) | undefined): () => void {
    this.#entries.set(entry.name, entry)
    // The common case, a stop budget within the stop's `timeout` and no `gracePeriod`, is told here
    // without a call: about 350 instructions less per `onStop()` (registration row of `npm run bench -- core`).
    const options = this.#options
    if (entry.stop !== undefined && (entry.timeout > options.timeout || options.gracePeriod !== undefined)) {
      const warnings = checkEntryBudget(options, entry)
      if (warnings.length > 0) this.#warn(warnings)
    }
    return () => {
      if (this.#entries.get(entry.name) !== entry) return
      this.#entries.delete(entry.name)
      if (detach === undefined) return
      if (this.#state !== 'stopping') return detach()
      // A stop under way still stops it (and needs what `attach` set up): undone once it has ended.
      const undo = (): void => {
        try {
          detach()
        } catch (error) {
          this.#log.error(`the detach of component \`${entry.name}\` threw`, error)
        }
      }
      this.#stopPromise?.then(undo, undo)
    }
  }

  /** `onStart()` and `onStop()`: a component with one hook, and nothing to attach. */
  #addHook(method: 'onStart' | 'onStop', name: string, hook: StartHook | StopHook, options?: HookOptions) {
    const { priority, timeout } = validateHook(method, name, hook, options, this.#entries, this.#state)
    const starts = method === 'onStart'
    const { hookTimeout, startTimeout } = this.#options
    return this.#add(
      {
        name,
        priority: priority ?? Priority.DEFAULT,
        start: starts ? (hook as StartHook) : undefined,
        stop: starts ? undefined : (hook as StopHook),
        timeout: starts ? hookTimeout : (timeout ?? hookTimeout),
        startTimeout: starts ? (timeout ?? startTimeout) : startTimeout,
        started: !starts,
        budgetCheck: undefined,
      },
      undefined,
    )
  }

  /**
   * Registers a component that only starts.
   *
   * @example
   * ```ts
   * lifecycle.onStart('warm-cache', ({ signal }) => cache.warm({ signal }), { priority: Priority.RESOURCES })
   * ```
   */
  onStart(name: string, hook: StartHook, options?: HookOptions): () => void {
    return this.#addHook('onStart', name, hook, options)
  }

  /**
   * Registers a component that only stops.
   *
   * @example
   * ```ts
   * lifecycle.onStop('flush-metrics', () => metrics.flush(), { priority: Priority.TELEMETRY })
   * ```
   */
  onStop(name: string, hook: StopHook, options?: HookOptions): () => void {
    return this.#addHook('onStop', name, hook, options)
  }

  /**
   * Registers background work that the `WORKERS` phase of a stop waits for (the `WaitGroup`).
   * A function receives `lifecycle.signal`. Returns the task's promise.
   *
   * @example
   * ```ts
   * lifecycle.track((signal) => sendWelcomeEmail(user, { signal }))
   * ```
   */
  track<T>(task: PromiseLike<T> | ((signal: AbortSignal) => PromiseLike<T> | T)): Promise<T> {
    return this.#tracker.track(task, this.signal)
  }

  /** Budgets that cannot fit (in `timeout`, in `gracePeriod`), as sentences; also logged by `start()`. */
  checkBudgets(): string[] {
    return checkAllBudgets(this.#options, [...this.#entries.values()])
  }

  /**
   * Starts every component, lowest priority first. When a start hook fails or times out, the
   * components already started are stopped in stop order and this rejects with a `StartError`.
   *
   * @example
   * ```ts
   * await lifecycle.start()
   * ```
   */
  start(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      return Promise.reject(new InvalidStateError(`Cannot start: the lifecycle is ${this.#state}`))
    }
    if (this.#startPromise === undefined) {
      // The promise and the run exist before any listener or start hook can call `stop()`: a stop
      // from inside the start (a `starting` listener, a hook of the first phase) cancels it, waits
      // for it and stops what had started (before, it found no start under way, and the start went on).
      let resolve!: () => void
      let reject!: (error: unknown) => void
      this.#startPromise = new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      })
      this.#runStart().then(resolve, reject)
    }
    return this.#startPromise
  }

  /**
   * Stops every component that started, highest priority first. Idempotent: every call, from
   * anywhere (a hook, a listener, an abort listener of `lifecycle.signal`), returns the same
   * promise, and every hook runs once. Resolves with the report when every hook ended `ok`;
   * otherwise rejects with a `ShutdownError` carrying it. A hook that awaits this promise waits
   * until its own budget ends: the stop settles only after every hook.
   *
   * @example
   * ```ts
   * const report = await lifecycle.stop()
   * console.log(report.toTimeline())
   * ```
   */
  stop(reason: StopReason = { type: 'manual' }): Promise<ShutdownReport> {
    try {
      reason = readReason(reason)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.#stopPromise === undefined ? this.#beginStop(reason, false) : this.#again()
  }

  /**
   * Forces the stop (starting one if needed): running hooks are aborted with a `ForcedStopError`
   * naming them and abandoned; phases not yet begun are `skipped`. No stop under way: it begins
   * forced, so no hook is called only to be abandoned.
   *
   * @example
   * ```ts
   * process.once('SIGINT', () => lifecycle.forceStop())
   * ```
   */
  forceStop(reason?: StopReason): Promise<ShutdownReport> {
    if (reason !== undefined) {
      try {
        reason = readReason(reason, '`forceStop()`')
      } catch (error) {
        return Promise.reject(error)
      }
    }
    if (this.#stopPromise === undefined) return this.#beginStop(reason ?? { type: 'manual' }, true)
    const running = this.running
    this.#stopRun?.force(new ForcedStopError(running))
    this.#startRun?.force(new ForcedStopError(running))
    // Forcing a stop under way is what it is for: not the re-entry #again() warns about.
    return this.#stopPromise as Promise<ShutdownReport>
  }

  /**
   * Takes over the process's signals (see docs/signals.md). The first SIGTERM or SIGINT stops
   * the lifecycle, the report is logged, and once the logger and stdout/stderr are flushed the
   * process exits with 0 when the stop was clean, 1 otherwise (an exit code the application set
   * is kept; with several lifecycles, once every stop under way has ended). A repeat within `burstWindow` ms is
   * the same request; a later one forces the stop, names the hooks still running and exits with
   * 128 + its number (130 for SIGINT). Options add fatal errors (`errors: true`), PM2's
   * `'shutdown'` message, and a watchdog that ends a process still alive after its stop.
   * Returns a function that removes every listener and timer it added; calling this again
   * before that throws an `InvalidStateError`.
   *
   * @example
   * ```ts
   * lifecycle.handleSignals({ errors: true })
   * await lifecycle.start()
   *
   * // in a test: nothing exits, nothing leaks
   * const dispose = lifecycle.handleSignals({ exit: (code) => codes.push(code) })
   * dispose()
   * ```
   */
  handleSignals(options?: HandleSignalsOptions): () => void {
    return installSignalHandler(this, { now: this.#options.now, log: this.#log }, options)
  }

  /** `await using lifecycle = new Lifecycle()` stops it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ type: 'disposed' })
  }

  /** What a component's `attach` is given: no reference back to the lifecycle. */
  #attachContext(name: string, stop: (reason: StopReason) => void): AttachContext {
    const { logger } = this.#options
    return {
      name,
      stopping: this.#signal,
      state: () => this.#state,
      log: logger === false ? SILENT_LOGGER : logger,
      // The stop's outcome belongs to whoever awaits it (handleSignals, main): here it must not
      // throw, except for a bad reason, which is refused at the call rather than lost.
      requestStop: (reason) => {
        stop(readReason(reason, '`requestStop()`'))
      },
    }
  }

  #warn(warnings: readonly string[]): void {
    for (const warning of warnings) {
      this.#log.warn(warning)
      this.emit('warning', warning)
    }
  }

  #run(kind: 'start' | 'stop', reason: StopReason | undefined): Run {
    const { now, timeout, finalGrace, sequential } = this.#options
    return new Run(kind, reason, {
      now,
      timeout: kind === 'stop' ? timeout : Number.POSITIVE_INFINITY,
      finalGrace,
      sequential,
      events: this,
      log: this.#log,
      running: () => [...this.running],
    })
  }

  async #runStart(): Promise<void> {
    this.#state = 'starting'
    const run = this.#run('start', undefined)
    this.#startRun = run
    this.emit('starting')
    this.#warn(checkPhaseGrace(this.#options, this.#entries.values()))
    const withStart = [...this.#entries.values()].filter((entry) => entry.start !== undefined)
    const outcome = run.start(withStart)
    this.#startOutcome = outcome
    let ended: StartOutcome
    try {
      ended = await outcome
    } finally {
      run.end()
      this.#startRun = undefined
    }
    const { failed, complete } = ended
    // Every start hook had ended ok when a stop began (a worker that crashed at once): the start is done.
    if (complete && this.#state !== 'starting') return
    const names = failed.map((hook) => hook.name)
    const errors = failed.map((hook) => hook.error)
    if (run.state !== 'in-time') {
      const reason = this.#stopRun?.reason ?? { type: 'manual' }
      throw new StartError(
        names,
        errors,
        undefined,
        `The start was aborted by a stop (${reason.type === 'signal' ? reason.signal : reason.type}); what had started is being stopped`,
      )
    }
    if (failed.length > 0) {
      let report: ShutdownReport | undefined
      try {
        report = await this.stop({ type: 'error', error: errors[0] })
      } catch (error) {
        report = error instanceof ShutdownError ? error.report : undefined
      }
      const list = failed.map((hook) => `\`${hook.name}\` (${hook.status})`).join(', ')
      const unclean = report?.ok === false ? ' (not cleanly: see .report)' : ''
      throw new StartError(
        names,
        errors,
        report,
        `The start failed: ${list}; the components that had started were stopped${unclean}`,
      )
    }
    this.#state = 'running'
    this.emit('started')
  }

  /** Every later call gets the stop under way; one from inside it is worth a word in the log. */
  #again(): Promise<ShutdownReport> {
    if (this.#state === 'stopping' && !this.#warnedReentry && this.running.length > 0) {
      this.#warnedReentry = true
      this.#log.info(
        'stop() was called during the stop: it returns the stop under way (a hook that awaits it waits until its own budget ends)',
      )
    }
    return this.#stopPromise as Promise<ShutdownReport>
  }

  /** The promise exists before any hook, listener or abort listener can call `stop()` again. */
  #beginStop(reason: StopReason, forced: boolean): Promise<ShutdownReport> {
    const run = this.#run('stop', reason)
    if (forced) run.force(new ForcedStopError([]))
    let resolve!: (report: ShutdownReport) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<ShutdownReport>((res, rej) => {
      resolve = res
      reject = rej
    })
    // Callers see the rejection; an unobserved one must not crash the process.
    promise.catch(noop)
    this.#stopPromise = promise
    this.#stopRun = run
    this.#runStop(run, reason).then(resolve, reject)
    return promise
  }

  async #runStop(run: Run, reason: StopReason): Promise<ShutdownReport> {
    const start = this.#state === 'starting' ? this.#startRun : undefined
    this.#state = 'stopping'
    const stopping = new StoppingError(reason)
    this.#stopping.abort(stopping)
    this.emit('stopping', reason)

    let interrupted: ReturnType<typeof abandonedStart>
    if (start !== undefined && this.#startPromise !== undefined) {
      start.cancel(stopping)
      await untilSettledOrLate(this.#startPromise, run)
      // Out of time (or forced) first: give up on the start hooks still running.
      if (run.state !== 'in-time') start.force(run.cause)
      await this.#startPromise.catch(noop)
      const outcome = await this.#startOutcome?.catch(() => undefined)
      interrupted = abandonedStart(outcome?.interrupted, start.origin - run.origin)
    }

    const entries = [...this.#entries.values()].filter((entry) => entry.started && entry.stop !== undefined)
    const tracker = this.#tracker
    const tracked = {
      entry: () => tracker.entry(this.#options.hookTimeout),
      close: () => tracker.close(),
    }
    const phases = await run.stop(entries, tracked)
    run.end()
    this.#tracker.close()
    this.#state = 'stopped'
    const all = interrupted === undefined ? phases : [interrupted, ...phases]
    const ok = run.notOk === 0 && interrupted === undefined
    const report = new Report(reason, run.originEpoch, round(run.elapsed()), all, ok)
    this.emit('stopped', report)
    this.#log.report(report)
    if (!report.ok) throw new ShutdownError(report)
    return report
  }
}

/** One listener as eventemitter3 keeps it (its `_events`, keyed by its `prefixed` name). */
interface Listener {
  readonly fn: (...args: unknown[]) => void
  readonly context: unknown
  readonly once: boolean
}

/** eventemitter3's listeners of `event`: one, several, or none (`undefined`). */
function listenersOf(emitter: object, event: string | symbol): Listener | Listener[] | undefined {
  const prefix = EventEmitter.prefixed
  const key = typeof prefix === 'string' && typeof event === 'string' ? prefix + event : event
  return (emitter as { _events: Record<string | symbol, Listener | Listener[] | undefined> })._events[key]
}

/** A foreign error's message, read defensively: printing it must not throw in its turn. */
function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return 'an unprintable value'
  }
}

/** Until `promise` settles or `run` leaves `in-time`, whichever comes first. */
async function untilSettledOrLate(promise: Promise<unknown>, run: Run): Promise<void> {
  if (run.state !== 'in-time') return
  await Promise.race([promise.then(noop, noop), run.changed()])
}
