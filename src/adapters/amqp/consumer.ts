import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { checkBoolean, checkFunction, checkName, checkObject, fail } from '../../core/validate.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  resolveAdapterOptions,
  waitUntil,
  whenAborted,
} from '../common.js'
import type { AmqpConnectionLike } from './connection.js'

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
export interface AmqpConsumerOptions extends AdapterOptions {
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
}

const WHERE = '`amqpConsumer()`'
const OWN_KEYS = ['prefetch', 'concurrency', 'requeueOnError', 'consumeOptions', 'connection']

function checkCount(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    fail(WHERE, field, 'an integer from 1 to 65535', value)
  }
}

function count(details: Record<string, unknown>, key: string): void {
  details[key] = ((details[key] as number | undefined) ?? 0) + 1
}

/**
 * Consumes `queue` on an `amqplib` channel as a component at `Priority.WORKERS`. Start: sets the
 * prefetch and begins consuming; each message goes to `handler`, and is acked when the handler
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
  options?: AmqpConsumerOptions,
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
  const prefetch = options?.prefetch ?? DEFAULTS.adapters.amqpConsumer.prefetch
  checkCount('options.prefetch', prefetch)
  const concurrency = options?.concurrency ?? prefetch
  checkCount('options.concurrency', concurrency)
  const requeueOnError = options?.requeueOnError ?? true
  checkBoolean(WHERE, 'options.requeueOnError', requeueOnError)
  const consumeOptions = options?.consumeOptions ?? {}
  checkObject(WHERE, 'options.consumeOptions', consumeOptions)
  if (consumeOptions.noAck === true) {
    fail(WHERE, 'options.consumeOptions.noAck', '`false` (the adapter acks each message)', true)
  }
  const connection = options?.connection
  if (connection !== undefined) {
    checkShape('amqpConsumer()', 'options.connection', 'an amqplib connection', connection, ['close'])
  }

  const waiting: M[] = []
  const running = new Set<M>()
  const handlers = new AbortController()
  let consumerTag: string | undefined
  let stopping: Record<string, unknown> | undefined
  let cancelled = false
  let abandoned = false

  const settle = (message: M, outcome: 'acked' | 'failed'): void => {
    if (!running.delete(message) || abandoned) return
    try {
      if (outcome === 'acked') channel.ack(message)
      else channel.nack(message, false, requeueOnError)
    } catch {
      // The channel closed under us: the broker redelivers the message.
      return
    }
    if (stopping) count(stopping, outcome)
    next()
  }
  const run = (message: M): void => {
    running.add(message)
    Promise.resolve()
      .then(() => handler(message, { signal: handlers.signal }))
      .then(
        () => settle(message, 'acked'),
        () => settle(message, 'failed'),
      )
  }
  const next = (): void => {
    while (stopping === undefined && running.size < concurrency && waiting.length > 0) {
      run(waiting.shift() as M)
    }
  }
  const requeue = (message: M): void => {
    try {
      channel.nack(message, false, true)
      if (stopping) count(stopping, 'requeued')
    } catch {
      // Channel gone: the broker requeues what was never acked.
    }
  }
  const onMessage = (message: M | null): void => {
    // `null`: the broker cancelled the consumer (queue deleted); nothing more will come.
    if (message === null) return
    // Requeued before the cancel took effect, a message would come straight back to us.
    if (cancelled) requeue(message)
    else waiting.push(message)
    next()
  }

  return {
    ...componentBase(resolved),
    async start() {
      await channel.prefetch(prefetch)
      const reply = await channel.consume(queue, onMessage, { ...consumeOptions, noAck: false })
      consumerTag = reply.consumerTag
    },
    async stop({ signal, details }) {
      stopping = details
      details.inFlight = running.size
      details.acked = 0
      details.requeued = 0
      details.failed = 0
      details.abandoned = 0
      const onAbort = (): void => {
        abandoned = true
        details.abandoned = running.size
        handlers.abort(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const aborted = whenAborted(signal)
      try {
        if (consumerTag !== undefined) {
          const cancel = channel.cancel(consumerTag)
          cancel.catch(() => {})
          await Promise.race([cancel, aborted.promise])
        }
        cancelled = true
        for (const message of waiting.splice(0)) requeue(message)
        await waitUntil(() => running.size === 0, signal, 5)
      } finally {
        aborted.dispose()
        signal.removeEventListener('abort', onAbort)
      }
      // Unacked messages go back to the queue when the channel closes.
      await channel.close().catch(ignoreClosed)
      await connection?.close().catch(ignoreClosed)
    },
  }
}

function ignoreClosed(error: unknown): void {
  // Closing what is already closed is the outcome we wanted.
  if (error instanceof Error && /closed|closing/i.test(error.message)) return
  throw error
}
