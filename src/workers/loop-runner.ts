import { WorkerCrashedError } from '../core/errors.js'
import type { Resolved } from './options.js'

/** @internal How a loop ended, once it has. */
export type LoopExit =
  | { readonly type: 'returned'; readonly early: boolean }
  | { readonly type: 'crashed'; readonly error: WorkerCrashedError }

/** @internal An abort error that the loop's own signal caused: a clean exit, not a failure. */
export function isAbortFrom(signal: AbortSignal, error: unknown): boolean {
  if (!signal.aborted) return false
  if (error === signal.reason) return true
  return error instanceof Error && (error.name === 'AbortError' || error.cause === signal.reason)
}

/**
 * @internal Runs one loop in the background with its own signal; records how it ended and applies
 * the crash policy when it fails before its signal aborted.
 */
export class LoopRunner {
  readonly #name: string
  readonly #common: Resolved
  readonly #controller = new AbortController()
  #done: Promise<void> | undefined
  #exit: LoopExit | undefined

  constructor(name: string, common: Resolved) {
    this.#name = name
    this.#common = common
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get launched(): boolean {
    return this.#done !== undefined
  }

  /** `undefined` while the loop runs. */
  get exit(): LoopExit | undefined {
    return this.#exit
  }

  /** Settles (never rejects) when the loop has ended; `undefined` if it never launched. */
  get done(): Promise<void> | undefined {
    return this.#done
  }

  launch(loop: (signal: AbortSignal) => unknown): void {
    const { signal } = this.#controller
    this.#done = (async () => loop(signal))().then(
      () => {
        this.#exit = { type: 'returned', early: !signal.aborted }
      },
      (error: unknown) => {
        if (isAbortFrom(signal, error)) {
          this.#exit = { type: 'returned', early: false }
          return
        }
        const crashed = new WorkerCrashedError(this.#name, error, signal.aborted)
        this.#exit = { type: 'crashed', error: crashed }
        if (!signal.aborted) this.#onCrash(crashed)
      },
    )
  }

  abort(reason: unknown): void {
    this.#controller.abort(reason)
  }

  #onCrash(error: WorkerCrashedError): void {
    const { log, onCrash, requestStop } = this.#common
    log.error(error.message, error.cause, { worker: this.#name })
    if (onCrash === 'stop') {
      if (requestStop === undefined)
        log.warn(
          `\`${this.#name}\` has \`onCrash: 'stop'\` but is not registered with a lifecycle: nothing to stop`,
        )
      else requestStop({ type: 'error', error })
    } else if (typeof onCrash === 'function') {
      try {
        onCrash(error, this.#name)
      } catch (callbackError) {
        log.error(`the onCrash callback of \`${this.#name}\` threw`, callbackError)
      }
    }
  }
}

export { untilAborted } from '../core/until-aborted.js'
