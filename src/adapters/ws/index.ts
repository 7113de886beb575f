/**
 * `graceful-lifecycle/ws`: a `ws` `WebSocketServer` as a lifecycle component. On stop it takes no
 * new connection, closes every client with code 1001 (going away), waits for the close
 * handshakes, and terminates what is left when the budget runs out.
 *
 * @module
 */
import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { checkName, fail } from '../../core/validate.js'
import type { WebSocketServerLike } from '../../http/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  raceAbort,
  resolveAdapterOptions,
} from '../common.js'

/**
 * What `wsServer()` uses of a `ws` `WebSocketServer`: the same shape as `httpServer()`'s
 * `webSocketServer` option (`WebSocketServerLike` of `graceful-lifecycle/http`).
 */
export type WsServerLike = WebSocketServerLike

/** Options of {@link wsServer}. */
export interface WsServerOptions extends AdapterOptions {
  /** The close reason sent with code 1001. @default 'Server shutting down' */
  readonly reason?: string
}

const GOING_AWAY = 1001
const CLOSED = 3

/**
 * Stops a `ws` `WebSocketServer` at `Priority.INGRESS`: `wss.close()` stops accepting connections
 * (and closes the HTTP server when `ws` created it), every client gets a close frame with code
 * 1001, and the hook waits for each close handshake. When the hook's signal aborts first, the
 * clients still open are terminated. A `ws` server attached to an HTTP server registered with
 * `httpServer()` belongs there instead (`httpServer(server, { webSocketServer: wss })`): use this
 * adapter for a standalone server (`{ port }`) or a `noServer` one.
 *
 * Report `details`: `clients` (connected when the stop began), `closed` (ended with a close
 * handshake), `terminated` (cut at the abort).
 *
 * @example
 * ```ts
 * import { WebSocketServer } from 'ws'
 * import { wsServer } from 'graceful-lifecycle/ws'
 *
 * const wss = new WebSocketServer({ port: 8080 })
 * lifecycle.register(wsServer(wss, { timeout: 5_000 }))
 * ```
 */
export function wsServer(wss: WsServerLike, options?: WsServerOptions): Component {
  checkShape('wsServer()', 'wss', 'a ws WebSocketServer', wss, ['close'])
  const clients = wss.clients as unknown
  if (
    clients === null ||
    typeof clients !== 'object' ||
    typeof (clients as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    fail(
      '`wsServer()`',
      'wss.clients',
      'an iterable of clients (create the server with `clientTracking: true`, the default)',
      clients,
    )
  }
  const resolved = resolveAdapterOptions('wsServer()', options, DEFAULTS.adapters.ws, ['reason'])
  options = resolved.options
  const reason = options?.reason ?? DEFAULTS.adapters.ws.reason
  checkName('`wsServer()`', 'options.reason', reason)

  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      const serverClosed = new Promise<void>((resolve, reject) => {
        wss.close((error) => (error ? reject(error) : resolve()))
      })
      serverClosed.catch(() => {})
      const open = [...wss.clients].filter((client) => client.readyState !== CLOSED)
      details.clients = open.length
      details.closed = 0
      details.terminated = 0
      const pending = new Set(open)
      const handshakes = open.map(
        (client) =>
          new Promise<void>((resolve) => {
            client.once('close', () => {
              if (pending.delete(client)) details.closed = (details.closed as number) + 1
              resolve()
            })
            try {
              client.close(GOING_AWAY, reason)
            } catch {
              // Still connecting: nothing to say goodbye to.
              client.terminate()
            }
          }),
      )
      const onAbort = (): void => {
        details.terminated = pending.size
        for (const client of pending) client.terminate()
        pending.clear()
      }
      // The handshakes, then the server's own close (it waits for its HTTP server, when it made one).
      await raceAbort(
        signal,
        async () => {
          await Promise.all(handshakes)
          await serverClosed
        },
        onAbort,
      )
    },
  }
}
