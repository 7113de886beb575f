import { DEFAULTS } from './defaults.js'
import { InvalidStateError, TrackedWorkError } from './errors.js'
import { errorMessage } from './foreign.js'
import type { Log } from './logger.js'
import { Priority } from './priority.js'
import type { Entry } from './run.js'
import type { StopContext } from './types.js'
import { fail, whileReading } from './validate.js'

/** The name under which tracked work appears in a report. */
export const TRACKED_HOOK = DEFAULTS.trackedHookName

/** @internal `lifecycle.track()`: a WaitGroup that the `WORKERS` phase waits for. */
export class Tracker {
  readonly #pending = new Set<Promise<unknown>>()
  readonly #log: Log
  readonly #warn: (message: string) => void
  /** Failures after the stop began, before the `WORKERS` phase waited: they belong in its report too. */
  readonly #failedInStop: unknown[] = []
  #draining = false
  /** Work was tracked that no drain has looked at yet. */
  #fresh = false
  #closed = false

  /** `warn` emits the lifecycle's `warning` event: with `logger: false` it is the only trace of a failure. */
  constructor(log: Log, warn: (message: string) => void) {
    this.#log = log
    this.#warn = warn
  }

  track<T>(
    task: PromiseLike<T> | ((signal: AbortSignal) => PromiseLike<T> | T),
    signal: AbortSignal,
  ): Promise<T> {
    let promise: Promise<T>
    if (typeof task === 'function') {
      if (this.#closed) throw this.#closedError()
      try {
        promise = Promise.resolve(task(signal))
      } catch (error) {
        promise = Promise.reject(error)
      }
    } else {
      // `then` is read once (a getter could answer differently the second time), and a getter or
      // Proxy trap that throws is refused with a code.
      const then = whileReading('`track()`', 'task', () =>
        task !== null && typeof task === 'object' ? task.then : undefined,
      )
      if (typeof then !== 'function') fail('`track()`', 'task', 'a promise or a function', task)
      if (this.#closed) throw this.#closedError()
      promise =
        task instanceof Promise && then === Promise.prototype.then
          ? (task as Promise<T>)
          : new Promise<T>((resolve, reject) => {
              try {
                then.call(task, resolve, reject)
              } catch (error) {
                reject(error)
              }
            })
    }
    this.#fresh = true
    this.#pending.add(promise)
    promise.then(
      () => this.#pending.delete(promise),
      (error: unknown) => {
        this.#pending.delete(promise)
        if (signal.aborted && !this.#draining) this.#failedInStop.push(error)
        this.#log.error('a tracked task failed', error)
        this.#warn(`a tracked task failed: ${errorMessage(error, false)}`)
      },
    )
    return promise
  }

  /**
   * The hook that waits for tracked work: when any was ever tracked, and once handed out, again only
   * for work tracked while the `WORKERS` phase ran after its drain had looked.
   */
  entry(timeout: number): Entry | undefined {
    if (!this.#fresh || this.#closed) return undefined
    this.#fresh = false
    return {
      name: TRACKED_HOOK,
      priority: Priority.WORKERS,
      start: undefined,
      stop: (context: StopContext) => this.#drain(context),
      timeout,
      startTimeout: 0,
      started: true,
    }
  }

  /** The `WORKERS` phase has ended: nothing would wait for work tracked from now on. */
  close(): void {
    this.#closed = true
  }

  async #drain(context: StopContext): Promise<void> {
    this.#draining = true
    const failures = this.#failedInStop.splice(0)
    let awaited = failures.length
    while (this.#pending.size > 0) {
      this.#fresh = false
      const batch = [...this.#pending]
      awaited += batch.length
      context.details.pending = this.#pending.size
      for (const result of await Promise.allSettled(batch)) {
        if (result.status === 'rejected') failures.push(result.reason)
      }
    }
    context.details.pending = 0
    context.details.awaited = awaited
    if (failures.length > 0) {
      context.details.failed = failures.length
      throw new TrackedWorkError(failures, awaited)
    }
  }

  #closedError(): InvalidStateError {
    return new InvalidStateError(
      "Cannot track work: the stop's `WORKERS` phase has ended, and nothing would wait for it",
    )
  }
}
