import { constants } from 'node:os'
import { InvalidStateError } from '../errors.js'
import type { Log } from '../logger.js'
import type { ShutdownReport, StopReason } from '../types.js'
import { exitCodeFor, isClean } from './exit-code.js'
import { beginStop, defaultExit, endStop, leave } from './exits.js'
import { flushOutput, pendingOutput, within } from './flush.js'
import {
  type ExitFunction,
  type HandledSignal,
  type HandleSignalsOptions,
  type ResolvedSignalOptions,
  resolveSignalOptions,
} from './options.js'
import { subscribe } from './registry.js'
import type { SignalServices, SignalTarget } from './target.js'
import { describeActiveResources, startWatchdog } from './watchdog.js'

/**
 * How long a forced exit, or the watchdog's, waits for the report and the logs to reach
 * stdout/stderr: the person who pressed Ctrl+C twice wants the process gone, and to see why.
 */
const FORCED_FLUSH_MS = 200

const installed = new WeakMap<SignalTarget, () => void>()

/**
 * The one handler, in the whole process, that still listens after its stop ended by itself (or
 * with `exit: false`): a later signal then exits at once with that stop's code. An earlier one
 * retires when a later one takes its place, so that a process (a test file, a soak) that starts
 * and stops lifecycle after lifecycle keeps one such handler, not one per lifecycle.
 */
let lingering: SignalHandler | undefined

/** 130 for SIGINT, 143 for SIGTERM: what a shell reports for a process killed by that signal. */
function forcedCode(signal: HandledSignal): number {
  return 128 + ((constants.signals as Partial<Record<string, number>>)[signal] ?? 0)
}

function quote(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => `\`${name}\``).join(', ')
}

/**
 * - `idle`: no stop yet;
 * - `stopping`: a signal or a fatal error asked for the stop; the process exits when it settles;
 * - `watching`: a stop that nothing here asked for (a manual one, a crashed worker's) is under way or
 *   over: the process ends by itself, the watchdog makes sure of it;
 * - `forcing`: a later signal forced the stop; the process exits after a bounded flush;
 * - `exiting`: the exit code is decided and the logs are being flushed; one more signal exits now;
 * - `done`: exited, or disposed.
 */
type HandlerState = 'idle' | 'stopping' | 'watching' | 'forcing' | 'exiting' | 'done'

class SignalHandler {
  /** Dropped once the stop has settled: a lingering handler must not keep a stopped lifecycle (and its servers) reachable. */
  #target: SignalTarget | undefined
  /** The lifecycle's logger, kept for the last flush. */
  readonly #logger: unknown
  readonly #options: ResolvedSignalOptions
  readonly #now: () => number
  readonly #log: Log
  readonly #exit: ExitFunction | false
  readonly #disposers: (() => void)[] = []
  #state: HandlerState = 'idle'
  /** `now()` of the latest request (the first signal, the one that forced): repeats within `burstWindow` are that request. */
  #requestedAt = 0
  /** How many listeners each signal had when it first arrived (see `#isResent`). */
  readonly #listeners = new Map<HandledSignal, number>()
  /** A fatal error happened: the exit code is 1 at best. */
  #failed = false
  /** What the application's `await lifecycle.start()` will throw after a stop during start. */
  #abortedStart: unknown
  /** Whether the stop being followed ended clean: set once, by the one stop a lifecycle has. */
  #outcome: Promise<boolean> | undefined
  /** The settled stop's exit code (see `exitCodeFor`), once it has settled. */
  #settledCode: number | undefined
  #cancelWatchdog: (() => void) | undefined
  /** What stdout and stderr held when the watchdog last looked (see `#onWatchdog`). */
  #heldAtWatchdog = Number.POSITIVE_INFINITY
  #unsubscribeMessage: (() => void) | undefined
  #uncaught = false
  /** Replaced by a later lingering handler: it listens to nothing. */
  #retired = false
  /** Removes the lifecycle's 'stopping' listener (it references the lifecycle). */
  #offStopping: (() => void) | undefined
  /** Exited: removes the listeners once the last request's burst window is over (see `#end`). */
  #lateUnsubscribe: ReturnType<typeof setTimeout> | undefined

  constructor(target: SignalTarget, services: SignalServices, options: ResolvedSignalOptions) {
    this.#target = target
    this.#logger = target.options.logger
    this.#options = options
    this.#now = services.now
    this.#log = services.log
    this.#exit = options.exit === undefined ? defaultExit : options.exit
  }

  install(): void {
    for (const signal of this.#options.signals) {
      if (signal in constants.signals) this.#disposers.push(subscribe(signal, () => this.#onSignal(signal)))
    }
    if (this.#options.shutdownMessage && typeof process.send === 'function') {
      // A 'message' listener refs the IPC channel; it is removed once the stop settles.
      this.#unsubscribeMessage = subscribe('message', (message: unknown) => {
        if (message === 'shutdown') this.#onSignal('SIGINT')
      })
    }
    if (this.#options.errors) {
      this.#listenForUncaught()
      this.#disposers.push(
        subscribe('unhandledRejection', (reason: unknown) => this.#onError('unhandled rejection', reason)),
      )
    }
    // Every stop, whoever began it, reaches this one path: `stop()` returns the stop under way.
    const target = this.#target
    if (target === undefined) return
    const onStopping = (): void => void this.#follow(target.stop())
    target.on('stopping', onStopping)
    this.#offStopping = () => target.off('stopping', onStopping)
  }

  /** Removes every listener and timer; never calls `exit`, and holds up no other lifecycle's exit. */
  dispose(): void {
    if (this.#lateUnsubscribe !== undefined) {
      clearTimeout(this.#lateUnsubscribe)
      this.#unsubscribe()
    }
    if (this.#state === 'done') return
    this.#unsubscribe()
    this.#cancelWatchdog?.()
    leave(this)
  }

  /** `#unsubscribe()` once the last request's burst window is over; an unref'd timer until then. */
  #unsubscribeAfterBurst(): void {
    const left = this.#requestedAt + this.#options.burstWindow - this.#now()
    if (left <= 0 || this.#requestedAt === 0) {
      this.#unsubscribe()
      return
    }
    this.#lateUnsubscribe = setTimeout(() => {
      this.#lateUnsubscribe = undefined
      this.#unsubscribe()
    }, left)
    this.#lateUnsubscribe.unref?.()
  }

  #unsubscribe(): void {
    if (this.#lateUnsubscribe !== undefined) clearTimeout(this.#lateUnsubscribe)
    this.#lateUnsubscribe = undefined
    this.#state = 'done'
    this.#offStopping?.()
    this.#offStopping = undefined
    for (const dispose of this.#disposers.splice(0)) dispose()
    this.#unsubscribeMessage?.()
    if (lingering === this) lingering = undefined
  }

  /**
   * The stop has settled and this handler will not end the process itself: it keeps listening (a
   * later signal exits with the stop's code), in place of any earlier such handler, which retires.
   * Its lifecycle is let go.
   */
  #linger(): void {
    // A lifecycle stops once: its 'stopping' listener has done its work.
    this.#offStopping?.()
    this.#offStopping = undefined
    this.#target = undefined
    if (this.#state === 'done') return
    if (lingering !== undefined && lingering !== this) lingering.#retire()
    lingering = this
  }

  /** Stops listening; its watchdog, if pending, still reports (and ends) a process that outlives its stop. */
  #retire(): void {
    for (const dispose of this.#disposers.splice(0)) dispose()
    this.#unsubscribeMessage?.()
    this.#retired = true
  }

  #onSignal(signal: HandledSignal): void {
    if (!this.#listeners.has(signal)) this.#listeners.set(signal, process.listenerCount(signal))
    switch (this.#state) {
      case 'idle':
      case 'watching':
        this.#request(signal)
        return
      case 'stopping':
        // The same request delivered more than once (a burst, npm and the terminal): one stop.
        if (this.#now() - this.#requestedAt < this.#options.burstWindow) return
        if (this.#isResent(signal)) return
        this.#force(signal)
        return
      case 'forcing':
      case 'exiting': {
        // The forcing Ctrl+C delivered twice (npm forwards its own): the same request, not a third.
        if (this.#now() - this.#requestedAt < this.#options.burstWindow) return
        const code = forcedCode(signal)
        this.#log.warn(`received ${signal} again: exiting now with code ${code}`)
        this.#end(code, true)
        return
      }
      case 'done':
        return
    }
  }

  /**
   * A handler that removed its own listener and then re-raised the signal to itself (NestJS's
   * `enableShutdownHooks()` does, once its own shutdown ends) is not a person pressing Ctrl+C twice.
   */
  #isResent(signal: HandledSignal): boolean {
    const now = process.listenerCount(signal)
    const before = this.#listeners.get(signal) ?? now
    if (now >= before) return false
    this.#listeners.set(signal, now)
    this.#log.info(`received ${signal} again, re-sent by a handler that removed its listener: ignored`)
    return true
  }

  #request(signal: HandledSignal): void {
    this.#state = 'stopping'
    this.#requestedAt = this.#now()
    if (this.#settledCode !== undefined) {
      this.#log.info(`received ${signal}: the stop has already ended`)
      beginStop(this)
      void this.#finish(this.#settledCode, undefined, undefined)
      return
    }
    this.#log.info(`received ${signal}: stopping (a second signal forces the stop)`)
    if (this.#target?.state === 'starting') this.#expectAbortedStart()
    this.#stopAndExit({ type: 'signal', signal })
  }

  /** Asks for the stop; one that already ended (a manual stop, then a signal) exits with its outcome. */
  #stopAndExit(reason: StopReason): void {
    const target = this.#target
    if (target === undefined) {
      beginStop(this)
      void this.#finish(this.#settledCode ?? this.#codeFor(false), undefined, undefined)
      return
    }
    void this.#follow(target.stop(reason))
  }

  /** The exit code of a stop that was not forced: see `exitCodeFor` (one rule for every path). */
  #codeFor(clean: boolean): number {
    return exitCodeFor(clean && !this.#failed)
  }

  #force(signal: HandledSignal): void {
    const target = this.#target
    if (target === undefined) return
    this.#state = 'forcing'
    this.#requestedAt = this.#now()
    this.#log.warn(`received ${signal} during the stop: forcing it; still running: ${quote(target.running)}`)
    const code = forcedCode(signal)
    void this.#finish(code, target.forceStop(), FORCED_FLUSH_MS)
  }

  #listenForUncaught(): void {
    if (this.#uncaught) return
    this.#uncaught = true
    this.#disposers.push(
      subscribe('uncaughtException', (error: unknown) => this.#onError('uncaught exception', error)),
    )
  }

  /**
   * A stop during `start()` makes `start()` reject with a `StartError`, and `await lifecycle.start()`
   * at the top level of a module turns that into an uncaught exception that would end the process
   * in the middle of the stop. That one error is expected: it is logged, and the stop goes on.
   */
  #expectAbortedStart(): void {
    // The same promise the application awaits; call it before stop() changes the state.
    this.#target?.start().catch((error: unknown) => {
      this.#abortedStart = error
    })
    this.#listenForUncaught()
  }

  #onError(kind: string, error: unknown): void {
    if (error !== undefined && error === this.#abortedStart) {
      this.#log.info(`the start was aborted by the stop; it goes on (${kind} ignored)`)
      return
    }
    this.#failed = true
    if (this.#state !== 'idle') {
      this.#log.error(`${kind} during the stop (it does not start another; the exit code will be 1)`, error)
      return
    }
    this.#state = 'stopping'
    this.#requestedAt = this.#now()
    this.#log.error(`${kind}: stopping, then exiting with code 1`, error)
    this.#stopAndExit({ type: 'error', error })
  }

  /**
   * The one outcome path: what the stop's promise says decides the exit code. Until it has
   * settled, no other lifecycle's handler ends the process.
   */
  async #follow(stop: Promise<ShutdownReport>): Promise<void> {
    if (this.#outcome !== undefined) return
    if (this.#state === 'idle') this.#state = 'watching'
    beginStop(this)
    this.#outcome = stop.then(isClean, () => false)
    const clean = await this.#outcome
    this.#settledCode = this.#codeFor(clean)
    // The IPC channel must not keep a stopped process alive.
    this.#unsubscribeMessage?.()
    this.#unsubscribeMessage = undefined
    this.#startWatchdog()
    if (this.#state === 'stopping') await this.#finish(this.#settledCode, stop, undefined)
    else if (this.#state === 'watching') {
      if (this.#settledCode !== 0) this.#failNaturalExit(this.#settledCode)
      // It ends by itself; another lifecycle's handler may exit now, with this code among the others.
      endStop(this, this.#settledCode, undefined)
      this.#linger()
    }
  }

  /** A stop nothing here asked for ends the process once nothing holds it: not cleanly, it must say so. */
  #failNaturalExit(code: number): void {
    if (this.#options.exit === undefined) process.exitCode = code
  }

  /** Logs the exit, flushes the logger and stdout/stderr (bounded by `flushMs` when given), exits. */
  async #finish(
    code: number,
    stop: Promise<unknown> | undefined,
    flushMs: number | undefined,
  ): Promise<void> {
    if (this.#options.exit === undefined) process.exitCode = code
    const deadline = flushMs === undefined ? undefined : this.#now() + flushMs
    if (deadline !== undefined && stop !== undefined) {
      // Give the core a moment to log the report (abandoned hooks, skipped phases), bounded.
      await within(stop, flushMs ?? 0)
    }
    if (this.#state === 'done') return
    this.#state = 'exiting'
    if (this.#exit !== false) this.#log.info(`exiting with code ${code}`)
    const flushed = flushOutput(this.#logger)
    // Unbounded after a clean stop: the watchdog ends a flush that hangs.
    await (deadline === undefined ? flushed : within(flushed, Math.max(0, deadline - this.#now())))
    this.#end(code)
  }

  #startWatchdog(): void {
    if (this.#options.watchdog === false || this.#cancelWatchdog !== undefined || this.#state === 'done')
      return
    const ms = this.#options.watchdog
    this.#cancelWatchdog = startWatchdog(ms, () => void this.#onWatchdog(ms))
  }

  async #onWatchdog(ms: number): Promise<void> {
    if (this.#state === 'done') return
    // stdout/stderr still writing, less than at the last look: a slow reader (a busy log collector),
    // not a hang. Exiting now would drop those lines; look again after another `ms`.
    const held = pendingOutput()
    if (held > 0 && held < this.#heldAtWatchdog) {
      this.#heldAtWatchdog = held
      this.#cancelWatchdog = startWatchdog(ms, () => void this.#onWatchdog(ms))
      return
    }
    const code = this.#codeFor((await this.#outcome) ?? false)
    const ending = this.#exit === false ? 'not exiting (`exit: false`)' : `exiting with code ${code}`
    this.#log.warn(
      `watchdog: the process is still running ${ms} ms after the stop; what keeps the event loop alive: ${describeActiveResources()}${held > 0 ? `; stdout and stderr have ${held} bytes not yet written (no reader took any for ${ms} ms)` : ''}; ${ending}`,
    )
    if (this.#exit === false) return
    await within(flushOutput(this.#logger), FORCED_FLUSH_MS)
    this.#end(code)
  }

  /**
   * This stop is over: the process exits (`exit` is called) once no other lifecycle's stop is
   * under way, with the worst code of them all; `now` (a third signal) does not wait. With
   * `exit: false` it never exits, but it no longer holds up the others.
   */
  #end(code: number, now = false): void {
    if (this.#state === 'done') return
    // A fatal error while the logs were flushed still makes the exit a failure.
    const final = this.#failed && code === 0 ? 1 : code
    if (this.#exit === false) {
      endStop(this, final, undefined)
      this.#linger()
      return
    }
    const exit = this.#exit
    this.#state = 'done'
    // Its listeners stay while `exit` runs, and they ignore everything now: a copy of the last
    // signal that arrives while the process exits (npm forwards each Ctrl+C to its child, later
    // than the terminal on a busy machine) would otherwise meet Node's default action and kill the
    // process by that signal instead of the code decided. `process.exit` does not return; an
    // injected one (which may exit later) does, and the listeners go at the end of the burst window.
    let others = 0
    if (now) {
      leave(this)
      exit(final)
    } else others = endStop(this, final, exit)
    if (!this.#retired) this.#unsubscribeAfterBurst()
    if (others > 0)
      this.#log.info(`waiting for ${others} other stop(s) under way in this process before exiting`)
  }
}

/**
 * @internal What `lifecycle.handleSignals()` runs; see its JSDoc and docs/signals.md.
 * Returns the function that removes every listener and timer it added.
 */
export function handleSignals(
  target: SignalTarget,
  services: SignalServices,
  options?: HandleSignalsOptions,
): () => void {
  const resolved = resolveSignalOptions(options)
  if (installed.has(target)) {
    throw new InvalidStateError(
      '`handleSignals()` was already called on this lifecycle; call the function it returned to remove it first',
    )
  }
  const handler = new SignalHandler(target, services, resolved)
  handler.install()
  const dispose = (): void => {
    if (installed.get(target) === dispose) installed.delete(target)
    handler.dispose()
  }
  installed.set(target, dispose)
  return dispose
}
