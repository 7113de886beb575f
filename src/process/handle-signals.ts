import { constants } from 'node:os'
import { InvalidStateError } from '../core/errors.js'
import type { Lifecycle } from '../core/lifecycle.js'
import { createLog, type Log } from '../core/logger.js'
import type { ShutdownReport } from '../core/types.js'
import { flushOutput, within } from './flush.js'
import {
  type ExitFunction,
  type HandledSignal,
  type HandleSignalsOptions,
  type ResolvedSignalOptions,
  resolveSignalOptions,
} from './options.js'
import { subscribe } from './registry.js'
import { describeActiveResources, startWatchdog } from './watchdog.js'

/**
 * How long a forced exit, or the watchdog's, waits for the report and the logs to reach
 * stdout/stderr: the person who pressed Ctrl+C twice wants the process gone, and to see why.
 */
const FORCED_FLUSH_MS = 200

const installed = new WeakMap<Lifecycle, () => void>()

/** 130 for SIGINT, 143 for SIGTERM: what a shell reports for a process killed by that signal. */
function forcedCode(signal: HandledSignal): number {
  const number = (constants.signals as Partial<Record<string, number>>)[signal]
  return 128 + (number ?? 0)
}

function isSupported(signal: HandledSignal): boolean {
  return signal in constants.signals
}

function quote(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => `\`${name}\``).join(', ')
}

class SignalHandler {
  readonly #lifecycle: Lifecycle
  readonly #options: ResolvedSignalOptions
  readonly #exitFunction: ExitFunction | false
  readonly #log: Log
  readonly #logger: unknown
  readonly #disposers: (() => void)[] = []
  /** performance.now() of the first signal or fatal error: the stop this handler asked for. */
  #requestedAt: number | undefined
  #settled = false
  #forced = false
  #failed = false
  #stopOk: boolean | undefined
  #code: number | undefined
  #exited = false
  #disposed = false
  #cancelWatchdog: (() => void) | undefined
  #unsubscribeMessage: (() => void) | undefined
  #uncaught = false
  #abortedStart: unknown

  constructor(lifecycle: Lifecycle, options: ResolvedSignalOptions) {
    this.#lifecycle = lifecycle
    this.#options = options
    this.#exitFunction = options.exit === undefined ? (code) => process.exit(code) : options.exit
    this.#logger = lifecycle.options.logger
    this.#log = createLog(lifecycle.options.logger)
  }

  install(): void {
    for (const signal of this.#options.signals) {
      if (isSupported(signal)) this.#disposers.push(subscribe(signal, () => this.#onSignal(signal)))
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
    const onStopped = (report: ShutdownReport): void => this.#onStopped(report.ok)
    this.#lifecycle.on('stopped', onStopped)
    this.#disposers.push(() => this.#lifecycle.off('stopped', onStopped))
  }

  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    for (const dispose of this.#disposers.splice(0)) dispose()
    this.#unsubscribeMessage?.()
    this.#cancelWatchdog?.()
  }

  #onSignal(signal: HandledSignal): void {
    const now = performance.now()
    if (this.#requestedAt === undefined) {
      this.#requestedAt = now
      this.#log.info(`received ${signal}: stopping (a second signal forces the stop)`)
      if (this.#lifecycle.state === 'starting') this.#expectAbortedStart()
      void this.#follow(this.#lifecycle.stop({ type: 'signal', signal }))
      return
    }
    // The same request, delivered more than once: one stop, every hook run once.
    if (now - this.#requestedAt < this.#options.burstWindow) return
    this.#force(signal)
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
    this.#lifecycle.start().catch((error: unknown) => {
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
    if (this.#requestedAt !== undefined) {
      this.#log.error(`${kind} during the stop (it does not start another; the exit code will be 1)`, error)
      return
    }
    this.#requestedAt = performance.now()
    this.#log.error(`${kind}: stopping, then exiting with code 1`, error)
    void this.#follow(this.#lifecycle.stop({ type: 'error', error }))
  }

  async #follow(stop: Promise<ShutdownReport>): Promise<void> {
    let ok: boolean
    try {
      ok = (await stop).ok
    } catch {
      ok = false
    }
    if (this.#forced || this.#disposed) return
    this.#settled = true
    this.#onStopped(ok)
    await this.#finish(ok && !this.#failed ? 0 : 1, undefined)
  }

  #force(signal: HandledSignal): void {
    const code = forcedCode(signal)
    if (this.#forced || this.#settled) {
      // A third signal, or a second one while the logs are flushed: no more waiting.
      this.#log.warn(`received ${signal} again: exiting now with code ${code}`)
      this.#exit(code)
      return
    }
    this.#forced = true
    this.#log.warn(
      `received ${signal} during the stop: forcing it; still running: ${quote(this.#lifecycle.running)}`,
    )
    const stop = this.#lifecycle.forceStop()
    // Give the core a moment to log the report (abandoned hooks, skipped phases), bounded.
    void this.#finish(code, stop)
  }

  async #finish(code: number, forced: Promise<unknown> | undefined): Promise<void> {
    this.#code = code
    if (this.#options.exit === undefined) process.exitCode = code
    if (forced) {
      const deadline = performance.now() + FORCED_FLUSH_MS
      await within(forced, FORCED_FLUSH_MS)
      this.#logExit(code)
      await within(flushOutput(this.#logger), Math.max(0, deadline - performance.now()))
    } else {
      this.#logExit(code)
      // Unbounded here: the watchdog ends a flush that hangs.
      await flushOutput(this.#logger)
    }
    this.#exit(code)
  }

  #logExit(code: number): void {
    if (this.#exitFunction !== false && !this.#disposed) this.#log.info(`exiting with code ${code}`)
  }

  #onStopped(ok: boolean): void {
    this.#stopOk ??= ok
    // A stop that no signal started (a crashed worker, a manual stop) ends the process on its own
    // once nothing holds it; a stop that was not clean must still make that exit a failure.
    if (!ok && this.#options.exit === undefined && !this.#disposed && process.exitCode === undefined) {
      process.exitCode = 1
    }
    // The IPC channel must not keep a stopped process alive.
    this.#unsubscribeMessage?.()
    this.#unsubscribeMessage = undefined
    if (this.#options.watchdog === false || this.#cancelWatchdog || this.#disposed) return
    const ms = this.#options.watchdog
    this.#cancelWatchdog = startWatchdog(ms, () => void this.#onWatchdog(ms))
  }

  async #onWatchdog(ms: number): Promise<void> {
    if (this.#exited || this.#disposed) return
    const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined
    const code = this.#code ?? exitCode ?? (this.#stopOk && !this.#failed ? 0 : 1)
    const alive = describeActiveResources()
    const ending = this.#exitFunction === false ? 'not exiting (`exit: false`)' : `exiting with code ${code}`
    this.#log.warn(
      `watchdog: the process is still running ${ms} ms after the stop; what keeps the event loop alive: ${alive}; ${ending}`,
    )
    if (this.#exitFunction === false) return
    await within(flushOutput(this.#logger), FORCED_FLUSH_MS)
    this.#exit(code)
  }

  /** Called at most once; with `exit: false` never, so the watchdog still reports. */
  #exit(code: number): void {
    if (this.#exited || this.#disposed || this.#exitFunction === false) return
    this.#exited = true
    this.#cancelWatchdog?.()
    // A fatal error while the logs were flushed still makes the exit a failure.
    this.#exitFunction(this.#failed && code === 0 ? 1 : code)
  }
}

/**
 * @internal What `lifecycle.handleSignals()` runs; see its JSDoc and docs/signals.md.
 * Returns the function that removes every listener and timer it added.
 */
export function handleSignals(lifecycle: Lifecycle, options?: HandleSignalsOptions): () => void {
  const resolved = resolveSignalOptions(options)
  if (installed.has(lifecycle)) {
    throw new InvalidStateError(
      '`handleSignals()` was already called on this lifecycle; call the function it returned to remove it first',
    )
  }
  const handler = new SignalHandler(lifecycle, resolved)
  handler.install()
  const dispose = (): void => {
    if (installed.get(lifecycle) === dispose) installed.delete(lifecycle)
    handler.dispose()
  }
  installed.set(lifecycle, dispose)
  return dispose
}
