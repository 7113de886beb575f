import { DEFAULTS } from '../../core/defaults.js'
import type { Component, Logger } from '../../core/types.js'
import { checkBoolean, checkFunction, checkName, fail, readOptions } from '../../core/validate.js'
import type { ConsumerDrain } from '../../workers/consumer-types.js'
import { consumer } from '../../workers/create-consumer.js'
import { type AdapterOptions, checkShape, componentBase, resolveAdapterOptions } from '../common.js'
import type { AmqpConnectionLike } from './connection.js'
import { AmqpSource } from './source.js'

/** What the adapter uses of an `amqplib` `Channel` (promise API) delivering messages of type `M`. */
export interface AmqpChannelLike<M> {
  prefetch(count: number, global?: boolean): Promise<unknown>
  consume(
    queue: string,
    onMessage: (message: M | null) => void,
    options?: Record<string, unknown>,
  ): Promise<{ consumerTag: string }>
  cancel(consumerTag: string): Promise<unknown>
  ack(message: M, allUpTo?: boolean): void
  nack(message: M, allUpTo?: boolean, requeue?: boolean): void
  close(): Promise<void>
}

/** What a handler receives besides the message. */
export interface AmqpHandlerContext {
  /** Aborts when the stop's budget runs out: the message will be redelivered, cut the work short. */
  readonly signal: AbortSignal
}

/** Handles one message. The adapter acks it when this resolves and nacks it when it throws. */
export type AmqpHandler<M> = (message: M, context: AmqpHandlerContext) => unknown

/** Options of {@link amqpConsumer}. */
export interface AmqpConsumerOptions<M = unknown> extends AdapterOptions {
  /** Unacked messages the broker may send ahead (`channel.prefetch`). @default 50 */
  readonly prefetch?: number
  /** Handlers running at once; the other prefetched messages wait, and are requeued on stop. @default prefetch */
  readonly concurrency?: number
  /** Requeue a message whose handler threw (`false`: reject it, to a dead-letter exchange if any). @default true */
  readonly requeueOnError?: boolean
  /** More options for `channel.consume()` (`consumerTag`, `exclusive`, `arguments`); `noAck` must stay false. */
  readonly consumeOptions?: Record<string, unknown>
  /** Closed after the channel: pass it when this consumer owns its connection. */
  readonly connection?: AmqpConnectionLike
  /**
   * `'in-flight'`: on stop, the messages prefetched but not started go back to the queue at once;
   * `'all'`: they are handled first, within the budget (see `consumer()`'s `drain`). @default 'in-flight'
   */
  readonly drain?: ConsumerDrain
  /** A handler threw (its message was nacked already). @default logs the error */
  readonly onError?: (error: unknown, message: M) => void
  /** Where handler failures are logged: `console`, a pino logger, or `false`. @default console */
  readonly logger?: Logger | false
}

const WHERE = '`amqpConsumer()`'
const OWN_KEYS = [
  'prefetch',
  'concurrency',
  'requeueOnError',
  'consumeOptions',
  'connection',
  'drain',
  'onError',
  'logger',
]

function checkCount(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    fail(WHERE, field, 'an integer from 1 to 65535', value)
  }
}

/**
 * Consumes `queue` on an `amqplib` channel as a component at `Priority.WORKERS`, built on
 * `consumer()` (its buffer, concurrency and drain) with the channel as a push source. Start: sets
 * the prefetch and begins consuming; each message goes to `handler`, and is acked when the handler
 * resolves (nacked when it throws). Stop: cancels the consumer (no new delivery), requeues the
 * messages that were delivered but not started, waits for the handlers in flight to finish and
 * ack, then closes the channel (and `options.connection`). When the hook's signal aborts first,
 * the handlers still running are abandoned: their messages are not acked, and closing the channel
 * hands them back to the broker, which redelivers them (at least once: make handlers idempotent).
 *
 * Report `details`: `inFlight` (handlers running when the stop began), `acked` (acked during the
 * stop), `requeued` (handed back unstarted), `failed` (handlers that threw during the stop),
 * `abandoned` (still running at the abort).
 *
 * @example
 * ```ts
 * import amqp from 'amqplib'
 * import { amqpConsumer } from 'graceful-lifecycle/amqp'
 *
 * const connection = await amqp.connect('amqp://127.0.0.1')
 * const channel = await connection.createChannel()
 * lifecycle.register(amqpConsumer(channel, 'orders', async (msg) => {
 *   await saveOrder(JSON.parse(msg.content.toString()))
 * }, { prefetch: 50, connection }))
 * ```
 */
export function amqpConsumer<M>(
  channel: AmqpChannelLike<M>,
  queue: string,
  handler: AmqpHandler<M>,
  options?: AmqpConsumerOptions<M>,
): Component {
  checkShape('amqpConsumer()', 'channel', 'an amqplib Channel (promise API)', channel, [
    'prefetch',
    'consume',
    'cancel',
    'ack',
    'nack',
    'close',
  ])
  checkName(WHERE, 'queue', queue)
  checkFunction(WHERE, 'handler', handler)
  const resolved = resolveAdapterOptions(
    'amqpConsumer()',
    options,
    {
      name: `${DEFAULTS.adapters.amqpConsumer.namePrefix}${queue}`,
      priority: DEFAULTS.adapters.amqpConsumer.priority,
    },
    OWN_KEYS,
  )
  options = resolved.options
  const prefetch = options?.prefetch ?? DEFAULTS.adapters.amqpConsumer.prefetch
  checkCount('options.prefetch', prefetch)
  const concurrency = options?.concurrency ?? prefetch
  checkCount('options.concurrency', concurrency)
  const requeueOnError = options?.requeueOnError ?? true
  checkBoolean(WHERE, 'options.requeueOnError', requeueOnError)
  // Read once into a copy, as the options are: what is checked here is what `channel.consume()` gets.
  const consumeOptions = readOptions(WHERE, 'options.consumeOptions', options?.consumeOptions ?? {}, [])
  if (consumeOptions.noAck === true) {
    fail(WHERE, 'options.consumeOptions.noAck', '`false` (the adapter acks each message)', true)
  }
  const connection = options?.connection
  if (connection !== undefined) {
    checkShape('amqpConsumer()', 'options.connection', 'an amqplib connection', connection, ['close'])
  }

  const onError = options?.onError
  if (onError !== undefined) checkFunction(WHERE, 'options.onError', onError)

  const source = new AmqpSource(channel, { queue, prefetch, requeueOnError, consumeOptions })
  const inner = consumer<M>(source, handler, {
    name: resolved.name,
    concurrency,
    // The broker sends at most `prefetch` ahead: the buffer never needs to pause it.
    highWaterMark: prefetch,
    drain: options?.drain ?? 'in-flight',
    ...(onError === undefined ? {} : { onError }),
    ...(options?.logger === undefined ? {} : { logger: options.logger }),
  })
  return {
    ...componentBase(resolved),
    // The inner consumer logs through the lifecycle's logger, as a consumer() registered alone does.
    attach: inner.attach,
    start: (context) => inner.start(context),
    async stop(context) {
      const { signal, reason, deadline, details } = context
      details.inFlight = inner.stats.inFlight
      source.stopping(details)
      details.abandoned = 0
      const onAbort = (): void => {
        details.abandoned = inner.stats.inFlight
        source.abandon()
      }
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
      try {
        // Its own `details`: this hook reports the broker's view (acked, requeued), not the buffer's.
        await inner.stop({ signal, reason, deadline, details: {} })
      } finally {
        signal.removeEventListener('abort', onAbort)
        // Unacked messages go back to the queue when the channel closes.
        await channel.close().catch(ignoreClosed)
        await connection?.close().catch(ignoreClosed)
      }
    },
  }
}

function ignoreClosed(error: unknown): void {
  // Closing what is already closed is the outcome we wanted.
  if (error instanceof Error && /closed|closing/i.test(error.message)) return
  throw error
}
