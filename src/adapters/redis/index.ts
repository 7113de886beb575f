/**
 * `graceful-lifecycle/redis`: a Redis client, `ioredis` or node-redis (`redis` v4/v5), as a
 * lifecycle component. On stop it closes gracefully (the replies still pending arrive first), and
 * disconnects at once when the budget runs out.
 *
 * @module
 */
import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { fail, whileReading } from '../../core/validate.js'
import { type AdapterOptions, componentBase, raceAbort, resolveAdapterOptions } from '../common.js'

/** What the adapter uses of an `ioredis` client (`Redis` or `Cluster`). */
export interface IoRedisLike {
  /** `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `close`, `end`. */
  readonly status: string
  quit(): Promise<unknown>
  disconnect(reconnect?: boolean): void
}

/** What the adapter uses of a node-redis v5 client (`createClient()`, `createCluster()`). */
export interface NodeRedis5Like {
  readonly isOpen: boolean
  readonly isReady?: boolean
  /** Waits for the replies pending, then closes. */
  close(): Promise<unknown>
  /** Closes at once; pending commands reject. */
  destroy(): unknown
}

/** What the adapter uses of a node-redis v4 client (`createClient()`, `createCluster()`). */
export interface NodeRedis4Like {
  readonly isOpen: boolean
  readonly isReady?: boolean
  /** Sends `QUIT` after the commands pending. */
  quit(): Promise<unknown>
  /** Closes at once; pending commands reject. */
  disconnect(): Promise<unknown>
}

/** A client {@link redisClient} can stop: `ioredis`, or node-redis v4 or v5. */
export type RedisClientLike = IoRedisLike | NodeRedis5Like | NodeRedis4Like

/** Options of {@link redisClient}. */
export interface RedisClientOptions extends AdapterOptions {}

// No connection to quit: never connected (`lazyConnect`), or lost and waiting to reconnect.
const NOT_CONNECTED = new Set(['wait', 'close', 'reconnecting'])

/** The two ways to end a client, whatever its library. */
interface Ending {
  /** What the client says about itself, for the report. */
  readonly status: string
  /** `true`: nothing to close. */
  readonly ended: boolean
  /** `true`: no connection to close gracefully on (a graceful close would wait for one). */
  readonly offline: boolean
  graceful(): Promise<unknown>
  force(): void
}

function ignore(): void {}

function ending(client: RedisClientLike): Ending {
  if ('status' in client && typeof client.status === 'string') {
    const io = client as IoRedisLike
    return {
      status: io.status,
      ended: io.status === 'end',
      offline: NOT_CONNECTED.has(io.status),
      graceful: () => io.quit(),
      force: () => io.disconnect(),
    }
  }
  const node = client as Partial<NodeRedis5Like & NodeRedis4Like> & { readonly isOpen: boolean }
  const ready = node.isReady ?? node.isOpen
  return {
    status: !node.isOpen ? 'closed' : ready ? 'ready' : 'connecting',
    ended: !node.isOpen,
    // Open but not ready: connecting or reconnecting; a graceful close would wait for the socket.
    offline: node.isOpen && !ready,
    // v5 has `close()`/`destroy()` (and the deprecated `quit()`/`disconnect()`); v4 only the latter.
    graceful: () =>
      typeof node.close === 'function' ? node.close() : (node.quit as () => Promise<unknown>)(),
    force: () => {
      try {
        if (typeof node.destroy === 'function') node.destroy()
        else Promise.resolve(node.disconnect?.()).catch(ignore)
      } catch {
        // Already closed: what we wanted.
      }
    },
  }
}

/**
 * Stops a Redis client at `Priority.RESOURCES`: `ioredis` `quit()`, node-redis v5 `close()` (v4
 * `quit()`) waits for the replies to the commands already sent, then closes the connection. When
 * the hook's signal aborts first, the client is closed at once (`ioredis` `disconnect()`, node-redis
 * `destroy()` / v4 `disconnect()`; commands still pending reject). A client that is not connected
 * (never connected, or reconnecting) is closed at once: a graceful close would wait for a connection.
 *
 * Report `details`: `status` (when the stop began: the `ioredis` status, or for node-redis
 * `ready`, `connecting` or `closed`), `quit` (`true` when the graceful close completed),
 * `disconnected` (`true` when it was forced).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { redisClient } from 'graceful-lifecycle/redis'
 *
 * const redis = new Redis('redis://127.0.0.1:6379')
 * lifecycle.register(redisClient(redis, { timeout: 3_000 }))
 * ```
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { redisClient } from 'graceful-lifecycle/redis'
 *
 * const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
 * lifecycle.register(redisClient(redis))
 * ```
 */
export function redisClient(client: RedisClientLike, options?: RedisClientOptions): Component {
  checkClient(client)
  const resolved = resolveAdapterOptions('redisClient()', options, DEFAULTS.adapters.redis)
  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      const end = ending(client)
      details.status = end.status
      if (end.ended) return
      const force = (): void => {
        details.disconnected = true
        end.force()
      }
      // `quit()` would wait for a connection; a reconnect timer must not keep the process up.
      if (end.offline) return force()
      if (await raceAbort(signal, () => end.graceful(), force)) details.quit = true
    },
  }
}

function has(value: Record<string, unknown>, methods: readonly string[]): boolean {
  return methods.every((method) => typeof value[method] === 'function')
}

/** Refuses anything but an `ioredis` client (`status`) or a node-redis one (`isOpen`). */
function checkClient(client: unknown): void {
  const c = client as Record<string, unknown>
  const ok = whileReading(
    '`redisClient()`',
    'client',
    () =>
      c !== null &&
      typeof c === 'object' &&
      ((typeof c.status === 'string' && has(c, ['quit', 'disconnect'])) ||
        (typeof c.isOpen === 'boolean' && (has(c, ['close', 'destroy']) || has(c, ['quit', 'disconnect'])))),
  )
  if (!ok) {
    fail(
      '`redisClient()`',
      'client',
      'an ioredis client (`status`, `quit()`, `disconnect()`) or a node-redis client (`isOpen`, and `close()`/`destroy()` or `quit()`/`disconnect()`)',
      client,
    )
  }
}
