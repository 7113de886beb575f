import type { CommonOptions } from './options.js'

/** What a consumer's handler receives with each item. */
export interface HandlerContext {
  /**
   * Aborts only when the consumer's stop budget runs out (the item is then counted as
   * `abandoned`): a stop by itself lets the handler finish. Pass it to your I/O to cut short.
   */
  readonly signal: AbortSignal
}

/** Handles one item. Resolve when it is done; throw or reject when it failed. */
export type ItemHandler<T> = (item: T, context: HandlerContext) => unknown

/** Callbacks a consumer makes to its source, all optional unless said otherwise. */
export interface SourceCallbacks<T> {
  /**
   * Takes back items the consumer had received but not started (on stop, and for items pushed after
   * the stop began). A broker nacks them with requeue; an in-memory queue puts them back in front.
   */
  requeue?(items: T[]): unknown
  /** Called after the handler of `item` succeeded (a broker acks it). */
  ack?(item: T): unknown
  /** Called after the handler of `item` failed (a broker nacks it, to a dead-letter queue or back). */
  nack?(item: T, error: unknown): unknown
}

/**
 * A source the consumer pulls from: `next(signal)` returns the next item, or `undefined` when there
 * is none right now (the consumer asks again after `pollInterval`). `signal` aborts when the
 * consumer stops taking items; an item returned anyway is handed back with `requeue` (processed,
 * when the source has no `requeue`).
 */
export interface PullSource<T> extends SourceCallbacks<T> {
  next(signal: AbortSignal): T | undefined | PromiseLike<T | undefined>
}

/**
 * A source that pushes items into the consumer, through `consumer.push(item)` or the `push`
 * function that `subscribe` receives at start. `requeue` is required: a pushed item that was not
 * started when the stop began must go back.
 */
export interface PushSource<T> extends SourceCallbacks<T> {
  /**
   * Called (and awaited) by the consumer's start: begin delivering to `push`. `signal` aborts when
   * the consumer stops taking items. May return an unsubscribe function, called and awaited then.
   */
  subscribe?(push: (item: T) => boolean, signal: AbortSignal): unknown
  /** The consumer holds `highWaterMark` items not yet started: stop delivering for now. */
  pause?(): void
  /** The consumer has room again. */
  resume?(): void
  requeue(items: T[]): unknown
}

/** What a consumer's stop finishes; see {@link ConsumerOptions.drain}. */
export type ConsumerDrain = 'in-flight' | 'all'

/** Where a consumer's items come from: a {@link PullSource} (has `next`) or a {@link PushSource}. */
export type ConsumerSource<T> = PullSource<T> | PushSource<T>

/** Options of {@link consumer}. */
export interface ConsumerOptions<T> extends CommonOptions {
  /** Component name, unique in its lifecycle. @default DEFAULTS.workers.consumerName ('consumer') */
  readonly name?: string
  /** Handlers running at once, an integer ≥ 1. @default DEFAULTS.workers.concurrency (1) */
  readonly concurrency?: number
  /** Push sources: items held not yet started at which `source.pause()` is called. @default concurrency */
  readonly highWaterMark?: number
  /** Pull sources: ms to wait after `next()` returned `undefined`. @default DEFAULTS.workers.pollInterval (100) */
  readonly pollInterval?: number
  /**
   * What the stop finishes before it hands items back:
   * - `'in-flight'`: the handlers running; every item received but not started goes back to the
   *   source at once (`requeue`).
   * - `'all'`: everything already received as well (a push source's buffer; a pull source is
   *   pulled from until `next()` returns `undefined`), the way a Go consumer drains its channel
   *   after the producer closed it. Items pushed after the stop began still go back. When the
   *   stop's budget runs out, what was not started goes back and the handlers running are abandoned.
   * @default 'in-flight'
   */
  readonly drain?: ConsumerDrain
  /**
   * A handler failed (after `source.nack`, if any, was called). The item is counted as `failed`
   * and is not handed back: retrying is the source's decision (its `nack`). @default logs the error
   */
  readonly onError?: (error: unknown, item: T) => void
}

/** A consumer's counts, live; also its stop hook's `details`. */
export interface ConsumerStats {
  /** Handlers that finished (succeeded or failed) since the start. */
  processed: number
  /** Handlers that failed since the start. */
  failed: number
  /** Handlers running right now. */
  inFlight: number
  /** Items received and waiting for a free handler slot (push sources). */
  buffered: number
  /** Handlers that finished after the stop began, before its deadline: the drain. */
  drained: number
  /** Items given back to the source with `requeue`. */
  handedBack: number
  /** Handlers still running when the stop's budget ran out; their signal was aborted. */
  abandoned: number
}
