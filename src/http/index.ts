/**
 * `graceful-lifecycle/http`: drain a `node:http`, `node:https` or `node:http2` server (and
 * Express, Fastify, Koa on top of them) without dropping a request: keep-alive, in-flight,
 * HTTP/2 and WebSocket connections.
 *
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js'
import type { Component } from '../core/types.js'
import { resolveHttpOptions } from './options.js'
import { ServerTracker } from './tracker.js'
import type { HttpServerOptions, ServerLike } from './types.js'

export { type RequestLike, requestSignal } from './request-signal.js'
export type {
  HttpDrainDetails,
  HttpServerOptions,
  ServerLike,
  WebSocketLike,
  WebSocketServerLike,
} from './types.js'

const tracked = new WeakSet<object>()

/**
 * A component (default name `http`, priority `Priority.INGRESS`) that drains `server` on stop.
 * Tracking starts at this call: create it **before `server.listen()`** (connections accepted
 * earlier are only picked up at their next request; see docs/http.md).
 *
 * On stop: the listener closes at once (new connections are refused); requests in flight, and any
 * that arrive on an open connection, are answered with `Connection: close` (HTTP/2: GOAWAY), and
 * each connection closes after its last response; keep-alive connections that are idle get
 * `idleGrace` ms to send a request already on its way, then close. When the hook's signal aborts
 * (its `timeout` or the whole stop's deadline), every remaining socket is destroyed. The report's
 * `details` hold {@link HttpDrainDetails}.
 *
 * @example
 * ```ts
 * const server = http.createServer(handler)
 * lifecycle.register(httpServer(server, { timeout: 10_000 }))
 * server.listen(3000)
 * ```
 */
export function httpServer(server: ServerLike, options?: HttpServerOptions): Component {
  const resolved = resolveHttpOptions(server, options)
  if (tracked.has(server)) {
    throw new InvalidArgumentError(
      `Expected \`server\` of \`httpServer()\` to be tracked once, got a server already passed to \`httpServer()\``,
    )
  }
  tracked.add(server)
  const tracker = new ServerTracker(server, resolved)
  return {
    name: resolved.name,
    priority: resolved.priority,
    ...(resolved.timeout === undefined ? {} : { timeout: resolved.timeout }),
    stop: (context) => tracker.drain(context),
  }
}
