/**
 * `graceful-lifecycle/redis`: an `ioredis` client as a lifecycle component. On stop it sends
 * `QUIT` (the replies still pending arrive first), and disconnects at once when the budget runs out.
 *
 * @module
 */
import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  resolveAdapterOptions,
  whenAborted,
} from '../common.js'

/** What the adapter uses of an `ioredis` client (`Redis` or `Cluster`). */
export interface RedisClientLike {
  /** `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `close`, `end`. */
  readonly status: string
  quit(): Promise<unknown>
  disconnect(reconnect?: boolean): void
}

/** Options of {@link redisClient}. */
export interface RedisClientOptions extends AdapterOptions {}

// No connection to quit: never connected (`lazyConnect`), or lost and waiting to reconnect.
const NOT_CONNECTED = new Set(['wait', 'close', 'reconnecting'])

/**
 * Stops an `ioredis` client at `Priority.RESOURCES`: `quit()` waits for the replies to the
 * commands already sent, then closes the connection. When the hook's signal aborts first,
 * `disconnect()` closes it at once (commands still pending reject).
 *
 * Report `details`: `status` (the client's status when the stop began), `quit` (`true` when
 * `QUIT` completed), `disconnected` (`true` when the abort forced it).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { redisClient } from 'graceful-lifecycle/redis'
 *
 * const redis = new Redis('redis://127.0.0.1:6379')
 * lifecycle.register(redisClient(redis, { timeout: 3_000 }))
 * ```
 */
export function redisClient(client: RedisClientLike, options?: RedisClientOptions): Component {
  checkShape('redisClient()', 'client', 'an ioredis client', client, ['quit', 'disconnect'], ['status'])
  const resolved = resolveAdapterOptions('redisClient()', options, DEFAULTS.adapters.redis)
  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      details.status = client.status
      if (client.status === 'end') return
      if (NOT_CONNECTED.has(client.status)) {
        // `quit()` would wait for a connection; a reconnect timer must not keep the process up.
        details.disconnected = true
        client.disconnect()
        return
      }
      const onAbort = (): void => {
        details.disconnected = true
        client.disconnect()
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const aborted = whenAborted(signal)
      try {
        const quit = client.quit().then(() => {
          details.quit = true
        })
        // After an abort, a `quit()` that never settles must not hold the hook.
        quit.catch(() => {})
        await Promise.race([quit, aborted.promise])
      } finally {
        aborted.dispose()
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
}
