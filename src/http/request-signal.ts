import { fail, unreadable } from '../core/validate.js'
import { signalsOf } from './connections.js'

const WHERE = '`requestSignal()`'

/** A request of a server passed to `httpServer()`: `node:http`'s, HTTP/2 compatibility API's, or an HTTP/2 stream. */
export type RequestLike = { readonly socket?: unknown } | { readonly stream?: unknown } | object

type Closable = { once(event: 'close', listener: () => void): unknown; readonly destroyed?: boolean }

/**
 * @internal The `requestSignal()` controllers of one server's requests, keyed by request (HTTP/2:
 * stream), each dropped when its request closes. They all abort together near the drain's end.
 */
export class RequestSignals {
  readonly #controllers = new Map<object, AbortController>()
  #aborted = false
  #reason: unknown = undefined

  signal(key: Closable): AbortSignal {
    if (this.#aborted) return AbortSignal.abort(this.#reason)
    let controller = this.#controllers.get(key)
    if (controller !== undefined) return controller.signal
    controller = new AbortController()
    // A request that is already over never closes again: its signal has nothing left to end.
    if (key.destroyed === true) return controller.signal
    this.#controllers.set(key, controller)
    key.once('close', () => this.#controllers.delete(key))
    return controller.signal
  }

  abortAll(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    const controllers = [...this.#controllers.values()]
    this.#controllers.clear()
    for (const controller of controllers) controller.abort(reason)
  }
}

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
 * that no registered `httpServer()` tracks.
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
  let signal: AbortSignal | undefined
  try {
    signal = lookUp(req)
  } catch (error) {
    unreadable(WHERE, 'req', error)
  }
  return signal ?? fail(WHERE, 'req', 'a request of a server passed to `httpServer()`', req)
}

function lookUp(req: RequestLike): AbortSignal | undefined {
  if (req !== null && typeof req === 'object') {
    const value = req as { socket?: unknown; stream?: unknown; session?: unknown }
    // HTTP/2 compatibility request: its stream; HTTP/2 stream: itself; HTTP/1 request: itself.
    const stream = isClosable(value.stream) ? value.stream : undefined
    const key = stream ?? req
    const session = (stream ?? value) as { session?: { socket?: unknown } | null }
    const socket = session.session ? session.session.socket : value.socket
    const signals = signalsOf(socket)
    if (signals !== undefined && isClosable(key)) return signals.signal(key)
  }
  return undefined
}

function isClosable(value: unknown): value is Closable {
  return value !== null && typeof value === 'object' && typeof (value as Closable).once === 'function'
}
