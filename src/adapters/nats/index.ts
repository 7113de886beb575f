/**
 * `graceful-lifecycle/nats`: a NATS connection as a lifecycle component. On stop it drains:
 * subscriptions stop, the messages already received are delivered, outgoing messages are flushed,
 * then the connection closes.
 *
 * @module
 */
import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  raceAbort,
  resolveAdapterOptions,
} from '../common.js'

/** What the adapter uses of a `nats` `NatsConnection`. */
export interface NatsConnectionLike {
  drain(): Promise<void>
  close(): Promise<void>
  isClosed(): boolean
  isDraining?(): boolean
  closed?(): Promise<unknown>
  stats?(): { readonly inMsgs: number; readonly outMsgs: number }
}

/** Options of {@link natsConnection}. */
export interface NatsConnectionOptions extends AdapterOptions {}

/**
 * Stops a NATS connection at `Priority.RESOURCES` (after the servers and workers that publish
 * on it) with `drain()`: every subscription is unsubscribed, the messages already received are
 * handed to their handlers, what was published is flushed, and the connection closes. When the
 * hook's signal aborts first, `close()` ends it at once. Work that a handler started
 * asynchronously is not waited for by NATS: track it (`lifecycle.track()`, a `worker`) so the
 * `WORKERS` phase finishes it before the drain.
 *
 * Report `details`: `drained` (`true` when the drain completed), `closed` (`true` when the abort
 * forced a close), `inMsgs` / `outMsgs` (the connection's totals, when it reports them).
 *
 * @example
 * ```ts
 * import { connect } from 'nats'
 * import { natsConnection } from 'graceful-lifecycle/nats'
 *
 * const nc = await connect({ servers: '127.0.0.1:4222' })
 * lifecycle.register(natsConnection(nc, { timeout: 5_000 }))
 * ```
 */
export function natsConnection(nc: NatsConnectionLike, options?: NatsConnectionOptions): Component {
  checkShape('natsConnection()', 'nc', 'a NATS connection', nc, ['drain', 'close', 'isClosed'])
  const resolved = resolveAdapterOptions('natsConnection()', options, DEFAULTS.adapters.nats)
  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      if (nc.isClosed()) {
        details.alreadyClosed = true
        return
      }
      try {
        details.drained = await raceAbort(
          signal,
          // A drain already under way (someone else called it) is waited for, not repeated.
          () => (nc.isDraining?.() === true && nc.closed ? nc.closed() : nc.drain()),
          () => {
            details.closed = true
            nc.close().catch(() => {})
          },
        )
      } finally {
        const stats = nc.stats?.()
        if (stats) {
          details.inMsgs = stats.inMsgs
          details.outMsgs = stats.outMsgs
        }
      }
    },
  }
}
