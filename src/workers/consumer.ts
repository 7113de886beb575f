import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULTS } from '../core/defaults.js'
import { InvalidStateError, SourceCallError, StoppingError } from '../core/errors.js'
import { Priority } from '../core/priority.js'
import type { AttachContext, Component, StartContext, StopContext } from '../core/types.js'
import type {
  ConsumerOptions,
  ConsumerSource,
  ConsumerStats,
  ItemHandler,
  PullSource,
  PushSource,
} from './consumer-types.js'
import { isAbortFrom, LoopRunner, untilAborted } from './loop-runner.js'
import type { Resolved } from './options.js'

const noop = (): void => {}

/**
 * A component that takes items from a source and handles up to `concurrency` at once; on stop it
 * stops taking, lets the handlers in flight finish, and hands back what it had not started.
 */
export class Consumer<T> implements Component {
  readonly name: string
  readonly priority: number
  readonly timeout?: number
  readonly start: (context: StartContext) => Promise<void>
  readonly stop: (context: StopContext) => Promise<void>
  readonly attach: (context: AttachContext) => () => void
  readonly #source: PullSource<T> | PushSource<T>
  readonly #pull: PullSource<T> | undefined
  readonly #handle: ItemHandler<T>
  readonly #concurrency: number
  readonly #highWaterMark: number
  readonly #pollInterval: number
  readonly #onError: ((error: unknown, item: T) => void) | undefined
  readonly #drainAll: boolean
  readonly #common: Resolved
  readonly #buffer: T[] = []
  readonly #inFlight = new Set<Promise<void>>()
  readonly #calls = new Set<Promise<void>>()
  readonly #errors: unknown[] = []
  readonly #taking = new AbortController()
  readonly #abandon = new AbortController()
  readonly #stats: ConsumerStats = {
    processed: 0,
    failed: 0,
    inFlight: 0,
    buffered: 0,
    drained: 0,
    handedBack: 0,
    abandoned: 0,
  }
  #slotFreed: () => void = noop
  #details: Record<string, unknown> | undefined
  #runner: LoopRunner | undefined
  #unsubscribe: (() => unknown) | undefined
  #started = false
  #closed = false
  #paused = false

  /** @internal Use {@link consumer}. */
  constructor(
    name: string,
    source: ConsumerSource<T>,
    handle: ItemHandler<T>,
    options: ConsumerOptions<T>,
    common: Resolved,
  ) {
    this.name = name
    this.priority = common.priority ?? Priority.WORKERS
    if (common.timeout !== undefined) this.timeout = common.timeout
    this.#common = common
    this.#source = source
    this.#pull = 'next' in source ? source : undefined
    this.#handle = handle
    this.#concurrency = options.concurrency ?? DEFAULTS.workers.concurrency
    this.#highWaterMark = options.highWaterMark ?? this.#concurrency
    this.#pollInterval = options.pollInterval ?? DEFAULTS.workers.pollInterval
    this.#onError = options.onError
    this.#drainAll = options.drain === 'all'
    this.start = () => this.#start()
    this.stop = (context) => this.#stop(context)
    this.attach = common.attach
  }

  /**
   * A snapshot of the counts (the same numbers the stop hook reports as `details`).
   *
   * @example
   * ```ts
   * metrics.gauge('jobs_in_flight', jobs.stats.inFlight)
   * ```
   */
  get stats(): Readonly<ConsumerStats> {
    return { ...this.#stats }
  }

  /**
   * Whether the consumer still takes items: started, and its stop has not begun.
   *
   * @example
   * ```ts
   * if (!jobs.accepting) return res.status(503).end()
   * ```
   */
  get accepting(): boolean {
    return this.#started && !this.#closed
  }

  /**
   * Push sources: hands the consumer one item. Returns `false` when the consumer would rather not
   * get more for now (it also calls `source.pause()`), like `stream.write()`. After the stop began,
   * the item goes straight back to the source (`requeue`) and this returns `false`.
   *
   * @example
   * ```ts
   * emitter.on('job', (job) => jobs.push(job))
   * ```
   */
  push(item: T): boolean {
    if (this.#pull) {
      throw new InvalidStateError(
        `Cannot push to consumer \`${this.name}\`: it pulls from its source (the source has \`next\`)`,
      )
    }
    if (this.#closed) {
      this.#handBack([item])
      return false
    }
    if (!this.#started) {
      throw new InvalidStateError(`Cannot push to consumer \`${this.name}\`: it has not started`)
    }
    this.#buffer.push(item)
    this.#pump()
    if (!this.#paused && this.#buffer.length >= this.#highWaterMark) {
      this.#paused = true
      this.#call('pause', () => (this.#source as PushSource<T>).pause?.())
    }
    return this.#buffer.length < this.#highWaterMark
  }

  #count(key: keyof ConsumerStats, delta: number): void {
    this.#stats[key] += delta
    if (this.#details) this.#details[key] = this.#stats[key]
  }

  /** Calls the source; a failure is logged and reported by the stop hook, never thrown at the caller. */
  #call(what: string, fn: () => unknown): Promise<void> {
    const promise = (async () => fn())().then(noop, (error: unknown) => {
      this.#errors.push(error)
      this.#common.log.error(`\`source.${what}\` of consumer \`${this.name}\` failed`, error)
    })
    this.#calls.add(promise)
    promise.then(() => this.#calls.delete(promise), noop)
    return promise
  }

  #handBack(items: T[]): void {
    if (items.length === 0) return
    this.#count('handedBack', items.length)
    const source = this.#source
    this.#call('requeue', () => source.requeue?.(items))
  }

  /** Starts handlers: while taking items, and after the stop began with `drain: 'all'` until the abort. */
  get #dispatching(): boolean {
    return this.accepting || (this.#started && this.#drainAll && !this.#abandon.signal.aborted)
  }

  #pump(): void {
    while (this.#dispatching && this.#stats.inFlight < this.#concurrency && this.#buffer.length > 0) {
      this.#dispatch(this.#buffer.shift() as T)
    }
    this.#stats.buffered = this.#buffer.length
    if (this.#details) this.#details.buffered = this.#buffer.length
    if (this.#paused && this.accepting && this.#buffer.length < this.#highWaterMark / 2) {
      this.#paused = false
      this.#call('resume', () => (this.#source as PushSource<T>).resume?.())
    }
  }

  #dispatch(item: T): void {
    this.#count('inFlight', 1)
    const source = this.#source
    const run = (async () => this.#handle(item, { signal: this.#abandon.signal }))()
      .then(
        () => this.#call('ack', () => source.ack?.(item)),
        (error: unknown) => {
          this.#count('failed', 1)
          const nacked = this.#call('nack', () => source.nack?.(item, error))
          // Cut short at the deadline: the report counts it as abandoned; not a handler bug.
          if (isAbortFrom(this.#abandon.signal, error)) return nacked
          if (this.#onError) {
            try {
              this.#onError(error, item)
            } catch (callbackError) {
              this.#common.log.error(`the onError callback of consumer \`${this.name}\` threw`, callbackError)
            }
          } else {
            this.#common.log.error(`a handler of consumer \`${this.name}\` failed`, error)
          }
          return nacked
        },
      )
      .then(() => {
        this.#inFlight.delete(run)
        this.#count('inFlight', -1)
        this.#count('processed', 1)
        if (this.#closed && !this.#abandon.signal.aborted) this.#count('drained', 1)
        this.#slotFreed()
        this.#pump()
      })
    this.#inFlight.add(run)
  }

  /** Resolves when a handler slot is free or `signal` aborts. */
  #slot(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done)
        this.#slotFreed = noop
        resolve()
      }
      this.#slotFreed = done
      signal.addEventListener('abort', done, { once: true })
    })
  }

  /**
   * `signal` aborts when the consumer stops taking items: at the stop (`drain: 'in-flight'`), at the
   * stop's abort (`drain: 'all'`, which until then pulls until the source is empty).
   */
  async #pullLoop(source: PullSource<T>, signal: AbortSignal): Promise<void> {
    // An idle wait ends at the stop too: `drain: 'all'` then looks once more, and returns when empty.
    const idle = AbortSignal.any([signal, this.#taking.signal])
    while (!signal.aborted) {
      if (this.#stats.inFlight >= this.#concurrency) {
        await this.#slot(signal)
        continue
      }
      const item = await source.next(signal)
      if (item === undefined) {
        if (this.#closed) return
        if (!signal.aborted) await sleep(this.#pollInterval, undefined, { signal: idle }).catch(noop)
      } else if (signal.aborted && source.requeue) {
        this.#handBack([item])
      } else {
        this.#dispatch(item)
      }
    }
  }

  async #start(): Promise<void> {
    if (this.#started || this.#closed) {
      throw new InvalidStateError(`Consumer \`${this.name}\` has already run; create a new one`)
    }
    this.#started = true
    const pull = this.#pull
    if (pull) {
      this.#runner = new LoopRunner(this.name, this.#common)
      this.#runner.launch((signal) => this.#pullLoop(pull, signal))
      return
    }
    const source = this.#source as PushSource<T>
    if (source.subscribe) {
      const unsubscribe = await source.subscribe((item) => this.push(item), this.#taking.signal)
      if (typeof unsubscribe === 'function') this.#unsubscribe = unsubscribe as () => unknown
    }
  }

  async #stop({ signal, reason, details }: StopContext): Promise<void> {
    this.#details = details
    this.#closed = true
    Object.assign(details, this.#stats)
    const stopping = new StoppingError(reason)
    const onAbort = (): void => {
      // Synchronous: the report copies `details` right after the abort.
      this.#count('abandoned', this.#stats.inFlight)
      this.#abandon.abort(signal.reason)
      // `drain: 'all'` ran out of time: what it had not started goes back after all.
      this.#runner?.abort(stopping)
      this.#handBack(this.#buffer.splice(0))
      this.#pump()
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    try {
      this.#taking.abort(stopping)
      if (!this.#drainAll) {
        this.#runner?.abort(stopping)
        this.#handBack(this.#buffer.splice(0))
      }
      this.#pump()
      const unsubscribe = this.#unsubscribe
      if (unsubscribe) await untilAborted(this.#call('unsubscribe', unsubscribe), signal)
      if (this.#runner?.done) await untilAborted(this.#runner.done, signal)
      while (this.#inFlight.size > 0 || this.#calls.size > 0) {
        await untilAborted(Promise.all([...this.#inFlight, ...this.#calls]), signal)
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    const exit = this.#runner?.exit
    if (exit?.type === 'crashed') throw exit.error
    if (this.#errors.length > 0) {
      throw new SourceCallError(this.#errors, this.name)
    }
  }
}
