import type { PushSource } from '../../workers/consumer-types.js'
import type { AmqpChannelLike } from './consumer.js'

/** @internal How the source consumes. */
export interface AmqpSourceOptions {
  readonly queue: string
  readonly prefetch: number
  readonly requeueOnError: boolean
  readonly consumeOptions: Record<string, unknown>
}

/**
 * @internal The broker side of `amqpConsumer()`, as a `consumer()` push source: `subscribe` sets
 * the prefetch and consumes, `ack`/`nack` settle a message, `requeue` nacks with requeue, and the
 * unsubscribe cancels the consumer. The buffer, the concurrency and the drain are `consumer()`'s.
 */
export class AmqpSource<M> implements PushSource<M> {
  readonly #channel: AmqpChannelLike<M>
  readonly #options: AmqpSourceOptions
  #consumerTag: string | undefined
  #cancel: Promise<void> | undefined
  #details: Record<string, unknown> | undefined
  #abandoned = false

  constructor(channel: AmqpChannelLike<M>, options: AmqpSourceOptions) {
    this.#channel = channel
    this.#options = options
  }

  /** The stop began: count `acked`, `requeued` and `failed` into its `details` from now on. */
  stopping(details: Record<string, unknown>): void {
    details.acked = 0
    details.requeued = 0
    details.failed = 0
    this.#details = details
  }

  #count(key: 'acked' | 'requeued' | 'failed'): void {
    if (this.#details) this.#details[key] = ((this.#details[key] as number | undefined) ?? 0) + 1
  }

  /**
   * The stop's budget ran out: the messages still running are left unacked, and closing the
   * channel hands them back to the broker (acking them now could ack on a channel being closed).
   */
  abandon(): void {
    this.#abandoned = true
  }

  async subscribe(push: (message: M) => boolean): Promise<() => Promise<void>> {
    const { queue, prefetch, consumeOptions } = this.#options
    await this.#channel.prefetch(prefetch)
    const reply = await this.#channel.consume(
      queue,
      // `null`: the broker cancelled the consumer (queue deleted); nothing more will come.
      (message) => {
        if (message !== null) push(message)
      },
      { ...consumeOptions, noAck: false },
    )
    this.#consumerTag = reply.consumerTag
    // The stop began while `consume()` was on its way: the consumer will not unsubscribe.
    if (this.#details !== undefined) void this.cancel()
    return () => this.cancel()
  }

  /** Cancels the broker consumer, once; resolves (never rejects) when the broker has confirmed. */
  cancel(): Promise<void> {
    if (this.#cancel === undefined && this.#consumerTag !== undefined) {
      this.#cancel = this.#channel.cancel(this.#consumerTag).then(
        () => {},
        // The channel is gone: no delivery can come anyway.
        () => {},
      )
    }
    return this.#cancel ?? Promise.resolve()
  }

  async requeue(messages: M[]): Promise<void> {
    // Only a stop hands messages back, so cancel (once) first: nacked before the cancel took
    // effect, a message would come straight back to this consumer.
    await this.cancel()
    for (const message of messages) {
      try {
        this.#channel.nack(message, false, true)
      } catch {
        // Channel gone: the broker requeues what was never acked.
        continue
      }
      this.#count('requeued')
    }
  }

  ack(message: M): void {
    this.#settle(message, 'acked')
  }

  nack(message: M): void {
    this.#settle(message, 'failed')
  }

  #settle(message: M, outcome: 'acked' | 'failed'): void {
    if (this.#abandoned) return
    try {
      if (outcome === 'acked') this.#channel.ack(message)
      else this.#channel.nack(message, false, this.#options.requeueOnError)
    } catch {
      // The channel closed under us: the broker redelivers the message.
      return
    }
    this.#count(outcome)
  }
}
