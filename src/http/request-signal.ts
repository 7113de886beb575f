import { fail } from '../core/validate.js'
import { connectionOf } from './connection.js'
import type { ServerTracker } from './tracker.js'

/** A request of a server passed to `httpServer()`: `node:http`'s, HTTP/2 compatibility API's, or an HTTP/2 stream. */
export type RequestLike = { readonly socket?: unknown } | { readonly stream?: unknown } | object

/**
 * An `AbortSignal` for one request that aborts when the drain of its server is about to run out
 * of budget: `requestAbortLead` ms (default 1000) before the `httpServer()` hook's deadline, or
 * the moment the drain begins when its budget is shorter than that, and at the latest when the
 * hook's signal aborts. Long-polling and server-sent-event handlers watch it to end their
 * response cleanly (the response still gets `Connection: close`) instead of being cut. The reason
 * is a `DOMException` named `TimeoutError` (the hook's own abort reason when that came first).
 *
 * Accepts `node:http`'s request (Express `req`, Koa `ctx.req`, Fastify `request.raw`), an HTTP/2
 * compatibility request, or an HTTP/2 stream. Throws a `TypeError` for a request of a server
 * that no `httpServer()` tracks.
 *
 * @example
 * ```ts
 * app.get('/events', (req, res) => {
 *   res.writeHead(200, { 'content-type': 'text/event-stream' })
 *   const timer = setInterval(() => res.write('data: tick\n\n'), 1000)
 *   requestSignal(req).addEventListener('abort', () => {
 *     clearInterval(timer)
 *     res.end('event: bye\ndata: server restarting\n\n')
 *   })
 * })
 * ```
 */
export function requestSignal(req: RequestLike): AbortSignal {
  const value = req as { socket?: unknown; stream?: unknown }
  let key: object = req
  let connection = typeof req === 'object' && req !== null ? connectionOf(req) : undefined
  if (connection === undefined && value?.stream !== undefined && value.stream !== null) {
    key = value.stream as object
    connection = connectionOf(key)
  }
  if (connection === undefined && typeof req === 'object' && req !== null) {
    key = req
    connection = connectionOf(value.socket)
  }
  if (connection === undefined) {
    fail('`requestSignal()`', 'req', 'a request of a server passed to `httpServer()`', req)
  }
  return (connection.owner as ServerTracker).requestSignal(connection, key)
}
