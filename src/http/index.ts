/**
 * `graceful-lifecycle/http`: drain a `node:http`, `node:https` or `node:http2` server (and
 * Express, Fastify, Koa on top of them) without dropping a request: keep-alive, in-flight,
 * HTTP/2 and WebSocket connections.
 *
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js'
import type { Component } from '../core/types.js'
import { Drain } from './drain.js'
import type { NotAnApp, ServerOrApp } from './not-a-server.js'
import { resolveHttpOptions } from './options.js'
import type { HttpServerOptions, ServerLike } from './types.js'

export type { NotAnApp, ServerOrApp } from './not-a-server.js'
export { type RequestLike, requestSignal } from './request-signal.js'
export type {
  HttpDrainDetails,
  HttpServerOptions,
  ServerLike,
  WebSocketLike,
  WebSocketServerLike,
} from './types.js'

import { readAttachContext } from '../core/validate-component.js'

/** Servers held by a registered `httpServer()` component. */
const claimed = new WeakSet<object>()

function alreadyClaimed(): InvalidArgumentError {
  return new InvalidArgumentError(
    'Expected `server` of `httpServer()` to be tracked once, got a server already registered with another `httpServer()` component (to hand it to another lifecycle, even a stopped one, first call the function its `register()` returned)',
  )
}

/**
 * A component (default name `http`, priority `Priority.INGRESS`) that drains `server` on stop.
 * Tracking starts when `lifecycle.register()` accepts it: register it **before `server.listen()`**
 * (connections accepted earlier are only picked up at their next request; see docs/http.md). A
 * registration that `register()` refuses (say, a duplicate name) leaves the server untouched.
 *
 * Until this hook runs (through a drain delay) the server serves exactly as before, keep-alive
 * included. When it runs: the listener closes once the listen backlog is drained, or just before
 * the first `Connection: close` response is written (new connections are then refused); from then
 * on requests in flight, and any that arrive on an open connection, are answered with
 * `Connection: close` (HTTP/2: GOAWAY), and each connection closes after its last response; idle
 * keep-alive connections close once they have been quiet for `idleGrace` ms counted from the
 * stop's start (and, while requests still arrive, the server too), so after a drain delay at least
 * that long they close at once, and without one they get the grace to send a request already on
 * its way. When the hook's signal aborts (its
 * `timeout` or the whole stop's deadline), every remaining socket is destroyed. The report's
 * `details` hold {@link HttpDrainDetails}.
 *
 * @example
 * ```ts
 * const server = http.createServer(handler)
 * lifecycle.register(drainDelay(5_000))
 * lifecycle.register(httpServer(server, { timeout: 10_000 }))
 * server.listen(3000)
 * ```
 */
export function httpServer<S extends ServerOrApp>(
  server: S & NotAnApp<S>,
  options?: HttpServerOptions,
): Component {
  const resolved = resolveHttpOptions(server, options)
  if (claimed.has(server)) throw alreadyClaimed()
  // resolveHttpOptions() refused anything but a server.
  const drain = new Drain(server as ServerLike, resolved)
  return {
    name: resolved.name,
    priority: resolved.priority,
    ...(resolved.timeout === undefined ? {} : { timeout: resolved.timeout }),
    stop: (context) => drain.drain(context),
    // A copy of this component carries this member, so it tracks the same server the same way.
    attach: (context) => {
      const { stopping } = readAttachContext(`component \`${resolved.name}\``, context)
      // Two components for one server (or one registered twice): the second registration is refused.
      if (claimed.has(server)) throw alreadyClaimed()
      // Claimed only once attached: a server whose listeners cannot be added stays unclaimed.
      const detach = drain.attach(stopping)
      claimed.add(server)
      return () => {
        detach()
        claimed.delete(server)
      }
    },
  }
}
