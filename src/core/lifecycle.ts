import { EventEmitter } from 'eventemitter3'
import pTimeout from 'p-timeout'
import { handleSignals as installSignalHandler } from '../process/handle-signals.js'
import type { HandleSignalsOptions } from '../process/options.js'
import { attachRegistered, budgetCheckOf } from './attach.js'
import { checkEntryBudget, checkLifecycleBudgets, checkPhaseGrace, checkPhaseTimeout } from './budgets.js'
import {
  ForcedStopError,
  InvalidStateError,
  ShutdownError,
  StartError,
  StoppingError,
  StopTimeoutError,
} from './errors.js'
import { createLog, type Log } from './logger.js'
import { type LifecycleOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { Priority } from './priority.js'
import { Report } from './report.js'
import { type Entry, type RunMode, Running, round, runPhase } from './run-hooks.js'
import { Tracker } from './tracker.js'
import type {
  Component,
  HookOptions,
  HookReport,
  LifecycleEvents,
  LifecycleState,
  PhaseReport,
  ShutdownReport,
  StartHook,
  StopHook,
  StopReason,
} from './types.js'
import { checkFunction, checkName } from './validate.js'
import { validateComponent, validateHookOptions, validateReason } from './validate-component.js'

const noop = (): void => {}

/**
 * One per process: every component registers how it starts and stops, and one call stops them
 * all in priority order, each hook within its budget, and reports how long each step took.
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
  readonly #running = new Running()
  readonly #stopping = new AbortController()
  readonly #tracker: Tracker
  #order = 0
  #state: LifecycleState = 'idle'
  #startPromise: Promise<void> | undefined
  #startAbort: AbortController | undefined
  #startAbandon: AbortController | undefined
  #stopPromise: Promise<ShutdownReport> | undefined
  #force: AbortController | undefined
  #forceAtStart = false

  constructor(options?: LifecycleOptions) {
    super()
    this.#options = resolveOptions(options)
    this.#log = createLog(this.#options.logger)
    this.#tracker = new Tracker(this.#log, (message) => this.emit('warning', message))
    const warnings = checkLifecycleBudgets(this.#options)
    for (const warning of warnings) this.#log.warn(warning)
    // Nobody can listen during the constructor: emit once the caller has had a chance to.
    if (warnings.length > 0)
      queueMicrotask(() => {
        for (const warning of warnings) this.emit('warning', warning)
      })
  }

  /**
   * Emits like any EventEmitter, but a listener that throws cannot wedge a start or a stop: its
   * error is logged and the run goes on.
   */
  override emit<T extends EventEmitter.EventNames<LifecycleEvents>>(
    event: T,
    ...args: EventEmitter.EventArgs<LifecycleEvents, T>
  ): boolean {
    try {
      return super.emit(event, ...args)
    } catch (error) {
      this.#log.error(`a \`${String(event)}\` listener threw; the lifecycle goes on`, error)
      return true
    }
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
    return this.#stopping.signal
  }

  /** Names of the hooks running right now (what a forced stop would abandon). */
  get running(): readonly string[] {
    return this.#running.names()
  }

  /** The resolved options, defaults filled in. */
  get options(): Readonly<Omit<ResolvedOptions, 'now'>> {
    const { now: _now, ...rest } = this.#options
    return rest
  }

  /**
   * Registers a component. Returns a function that unregisters it (a stop already under way
   * still stops it).
   *
   * @example
   * ```ts
   * const off = lifecycle.register({ name: 'db', priority: Priority.RESOURCES, stop: () => pool.end(), timeout: 5_000 })
   * ```
   */
  register(component: Component): () => void {
    validateComponent(component, this.#entries, this.#state)
    const entry: Entry = {
      name: component.name,
      priority: component.priority ?? Priority.DEFAULT,
      order: this.#order++,
      start: component.start,
      stop: component.stop,
      timeout: component.timeout ?? this.#options.hookTimeout,
      startTimeout: component.startTimeout ?? this.#options.startTimeout,
      started: component.start === undefined,
      budgetCheck: budgetCheckOf(component),
    }
    const detach = attachRegistered(component, { stopping: this.#stopping.signal })
    this.#entries.set(entry.name, entry)
    this.#warn(checkEntryBudget(this.#options, entry))
    return () => {
      if (this.#entries.get(entry.name) !== entry) return
      this.#entries.delete(entry.name)
      // A stop under way still stops it (and needs what `attach` set up); undo only outside one.
      if (this.#state !== 'stopping') detach?.()
    }
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
    checkName('`onStart()`', 'name', name)
    checkFunction(`\`onStart()\` for component \`${name}\``, 'hook', hook)
    const { priority, timeout } = validateHookOptions(name, 'onStart', options)
    return this.register({
      name,
      start: hook,
      ...(priority === undefined ? {} : { priority }),
      ...(timeout === undefined ? {} : { startTimeout: timeout }),
    })
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
    checkName('`onStop()`', 'name', name)
    checkFunction(`\`onStop()\` for component \`${name}\``, 'hook', hook)
    const { priority, timeout } = validateHookOptions(name, 'onStop', options)
    return this.register({
      name,
      stop: hook,
      ...(priority === undefined ? {} : { priority }),
      ...(timeout === undefined ? {} : { timeout }),
    })
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
    return [
      ...checkLifecycleBudgets(this.#options),
      ...[...this.#entries.values()].flatMap((entry) => [
        ...checkEntryBudget(this.#options, entry),
        ...(entry.budgetCheck?.(this.#options) ?? []),
      ]),
      ...checkPhaseTimeout(this.#options, this.#entries.values()),
      ...checkPhaseGrace(this.#options, this.#entries.values()),
    ]
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
    this.#startPromise ??= this.#runStart()
    return this.#startPromise
  }

  /**
   * Stops every component that started, highest priority first. Idempotent: every call returns
   * the same promise. Resolves with the report when every hook ended `ok`; otherwise rejects
   * with a `ShutdownError` carrying it.
   *
   * @example
   * ```ts
   * const report = await lifecycle.stop()
   * console.log(report.toTimeline())
   * ```
   */
  stop(reason: StopReason = { type: 'manual' }): Promise<ShutdownReport> {
    try {
      validateReason(reason)
    } catch (error) {
      return Promise.reject(error)
    }
    if (this.#stopPromise) return this.#stopPromise
    this.#stopPromise = this.#runStop(reason)
    // Callers see the rejection; an unobserved one must not crash the process.
    this.#stopPromise.catch(noop)
    return this.#stopPromise
  }

  /**
   * Forces the stop (starting one if needed): running hooks are aborted with a `ForcedStopError`
   * naming them and abandoned; phases not yet begun are `skipped`.
   *
   * @example
   * ```ts
   * process.once('SIGINT', () => lifecycle.forceStop())
   * ```
   */
  forceStop(reason?: StopReason): Promise<ShutdownReport> {
    // No stop under way: it begins forced, so no hook is called only to be abandoned.
    if (this.#stopPromise === undefined) this.#forceAtStart = true
    const promise = this.stop(reason)
    this.#forceAtStart = false
    this.#force?.abort(new ForcedStopError(this.running))
    return promise
  }

  /**
   * Takes over the process's signals (see docs/signals.md). The first SIGTERM or SIGINT stops
   * the lifecycle, the report is logged, and once the logger and stdout/stderr are flushed the
   * process exits with 0 when the stop was clean, 1 otherwise. A repeat within `burstWindow` ms is
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
    return installSignalHandler(this, options)
  }

  /** `await using lifecycle = new Lifecycle()` stops it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ type: 'disposed' })
  }

  #warn(warnings: readonly string[]): void {
    for (const warning of warnings) {
      this.#log.warn(warning)
      this.emit('warning', warning)
    }
  }

  #groups(entries: Iterable<Entry>, order: 'start' | 'stop'): Entry[][] {
    const byPriority = new Map<number, Entry[]>()
    for (const entry of entries) {
      const group = byPriority.get(entry.priority)
      if (group) group.push(entry)
      else byPriority.set(entry.priority, [entry])
    }
    const sign = order === 'stop' ? -1 : 1
    return [...byPriority.entries()].sort(([a], [b]) => sign * (a - b)).map(([, group]) => group)
  }

  async #runStart(): Promise<void> {
    this.#state = 'starting'
    this.emit('starting')
    this.#warn(checkPhaseGrace(this.#options, this.#entries.values()))
    const abort = new AbortController()
    this.#startAbort = abort
    const abandon = new AbortController()
    this.#startAbandon = abandon
    const { now, sequential } = this.#options
    const origin = now()
    const originEpoch = Date.now()
    const mode = (): RunMode | undefined =>
      abort.signal.aborted
        ? undefined
        : {
            cap: Number.POSITIVE_INFINITY,
            abort: abort.signal,
            waitAfterAbort: true,
            abandon: abandon.signal,
          }
    const failed: HookReport[] = []
    const entries = [...this.#entries.values()].filter((entry) => entry.start !== undefined)
    for (const group of this.#groups(entries, 'start')) {
      if (abort.signal.aborted) break
      const phase = await runPhase({
        kind: 'start',
        entries: group,
        sequential,
        events: this,
        now,
        origin,
        originEpoch,
        reason: undefined,
        running: this.#running,
        deadline: Number.POSITIVE_INFINITY,
        mode,
      })
      phase.hooks.forEach((hook, index) => {
        const entry = group[index]
        if (hook.status === 'ok' && entry) entry.started = true
        if (hook.status === 'error' || hook.status === 'timeout') failed.push(hook)
      })
      if (failed.length > 0) break
    }
    // The start hooks are done: the rollback stop below must not wait for this start to end.
    this.#startAbort = undefined
    if (abort.signal.aborted) {
      const reason = (abort.signal.reason as StoppingError).reason
      throw new StartError(
        failed.map((hook) => hook.name),
        failed.map((hook) => hook.error),
        undefined,
        `The start was aborted by a stop (${reason.type === 'signal' ? reason.signal : reason.type}); what had started is being stopped`,
      )
    }
    if (failed.length > 0) {
      const names = failed.map((hook) => `\`${hook.name}\` (${hook.status})`).join(', ')
      let report: ShutdownReport | undefined
      try {
        report = await this.stop({ type: 'error', error: failed[0]?.error })
      } catch (error) {
        report = error instanceof ShutdownError ? error.report : undefined
      }
      throw new StartError(
        failed.map((hook) => hook.name),
        failed.map((hook) => hook.error),
        report,
        `The start failed: ${names}; the components that had started were stopped${report?.ok === false ? ' (not cleanly: see .report)' : ''}`,
      )
    }
    this.#state = 'running'
    this.emit('started')
  }

  async #runStop(reason: StopReason): Promise<ShutdownReport> {
    const { now, timeout, finalGrace, sequential } = this.#options
    const origin = now()
    const originEpoch = Date.now()
    const startAbort = this.#state === 'starting' ? this.#startAbort : undefined
    this.#state = 'stopping'
    const stopping = new StoppingError(reason)
    this.#stopping.abort(stopping)
    const force = new AbortController()
    this.#force = force
    if (this.#forceAtStart) force.abort(new ForcedStopError([]))
    const ended = new AbortController()
    const onForce = (): void => ended.abort(force.signal.reason)
    force.signal.addEventListener('abort', onForce, { once: true })
    const timer = setTimeout(() => ended.abort(new StopTimeoutError(this.running, timeout)), timeout)
    this.emit('stopping', reason)

    if (startAbort && this.#startPromise) {
      startAbort.abort(stopping)
      await pTimeout(this.#startPromise.catch(noop), {
        milliseconds: Number.POSITIVE_INFINITY,
        signal: ended.signal,
      }).catch(noop)
      // The deadline passed (or the stop was forced) first: give up on the start hooks still
      // running, as on any running hook, so start() settles and no budget timer holds the process.
      if (ended.signal.aborted) this.#startAbandon?.abort(ended.signal.reason)
    }

    const entries = [...this.#entries.values()].filter((entry) => entry.started && entry.stop !== undefined)
    const tracked = this.#tracker.entry(this.#order, this.#options.hookTimeout)
    if (tracked) entries.push(tracked)
    const mode = (): RunMode | undefined => {
      if (force.signal.aborted) return undefined
      if (ended.signal.aborted) {
        return {
          preAborted: ended.signal.reason,
          cap: finalGrace,
          abort: force.signal,
          waitAfterAbort: false,
        }
      }
      return { cap: Number.POSITIVE_INFINITY, abort: ended.signal, waitAfterAbort: false }
    }
    const phases: PhaseReport[] = []
    for (const group of this.#groups(entries, 'stop')) {
      phases.push(
        await runPhase({
          kind: 'stop',
          entries: group,
          sequential,
          events: this,
          now,
          origin,
          originEpoch,
          reason,
          running: this.#running,
          deadline: originEpoch + timeout,
          mode,
        }),
      )
    }
    clearTimeout(timer)
    force.signal.removeEventListener('abort', onForce)
    this.#tracker.close()
    this.#state = 'stopped'
    const report = new Report(reason, originEpoch, round(now() - origin), phases)
    this.emit('stopped', report)
    this.#log.report(report)
    if (!report.ok) throw new ShutdownError(report)
    return report
  }
}
