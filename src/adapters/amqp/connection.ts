import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  raceAbort,
  resolveAdapterOptions,
} from '../common.js'

/** What the adapter uses of an `amqplib` connection (`amqp.connect()`'s `ChannelModel`). */
export interface AmqpConnectionLike {
  close(): Promise<void>
  /** Not called; it tells an amqplib connection from other clients with a `close()` (NATS). */
  createChannel(): Promise<unknown>
}

/** Options of {@link amqpConnection}. */
export interface AmqpConnectionOptions extends AdapterOptions {}

/**
 * Closes an `amqplib` connection at `Priority.RESOURCES`, after the consumers (`WORKERS`) that
 * share it have drained and the servers that publish on it have stopped. Closing it closes its
 * channels: the broker requeues any message still unacked.
 *
 * Report `details`: `closed` (`true` when the close completed; `false` when the abort came first).
 *
 * @example
 * ```ts
 * import amqp from 'amqplib'
 * import { amqpConnection } from 'graceful-lifecycle/amqp'
 *
 * const connection = await amqp.connect('amqp://127.0.0.1')
 * lifecycle.register(amqpConnection(connection))
 * ```
 */
export function amqpConnection(connection: AmqpConnectionLike, options?: AmqpConnectionOptions): Component {
  checkShape('amqpConnection()', 'connection', 'an amqplib connection', connection, ['close'])
  const resolved = resolveAdapterOptions('amqpConnection()', options, DEFAULTS.adapters.amqpConnection)
  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      details.closed = false
      await raceAbort(signal, () =>
        connection.close().then(
          () => {
            details.closed = true
          },
          (error: unknown) => {
            // Already closed (by a consumer that owned it, or by the broker): nothing left to do.
            if (error instanceof Error && /closed|closing/i.test(error.message)) {
              details.closed = true
              return
            }
            throw error
          },
        ),
      )
    },
  }
}
