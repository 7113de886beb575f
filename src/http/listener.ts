import { Server as HttpServer } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import { Server as NetServer } from 'node:net'
import { DEFAULTS } from '../core/defaults.js'
import type { ServerLike } from './types.js'

/**
 * @internal The listening socket of one server during the drain. It does not close the moment
 * the drain begins: Node takes one connection from the listen backlog per event-loop turn, and
 * under load the kernel holds connections whose handshake is done and whose request may be sent;
 * closing now would reset them. So it keeps accepting (each connection is drained like the
 * others) until a loop turn brings none, or `backlogDrainCap` ms have passed. No client is told
 * to leave (`Connection: close`, GOAWAY, an idle close) before it has closed, so what reaches the
 * backlog meanwhile is new clients only.
 */
export class Listener {
  readonly #server: ServerLike
  /** Connections accepted so far: tells whether a loop turn took one from the backlog. */
  readonly #accepted: () => number
  readonly #onClosing: () => void
  readonly #onClosed: () => void
  #closing = false
  #closed = false

  /** `onClosing`: it stopped listening; `onClosed`: that, and every connection is gone. */
  constructor(server: ServerLike, accepted: () => number, onClosing: () => void, onClosed: () => void) {
    this.#server = server
    this.#accepted = accepted
    this.#onClosing = onClosing
    this.#onClosed = onClosed
  }

  /** Closed, and every connection Node knew of gone (what `server.close()`'s callback means). */
  get closed(): boolean {
    return this.#closed
  }

  /** Closes once the listen backlog is empty (see the class comment). */
  closeAfterBacklog(): void {
    const cap = performance.now() + DEFAULTS.http.backlogDrainCap
    let seen = this.#accepted()
    const step = (): void => {
      if (this.#closing) return
      if (this.#accepted() === seen || performance.now() >= cap) {
        this.close()
        return
      }
      seen = this.#accepted()
      setImmediate(step)
    }
    // Twice: the first check comes after a poll phase, where the accepts happen.
    setImmediate(() => setImmediate(step))
  }

  /** Stops listening, without Node's own `closeIdleConnections()`: a request may be on its way on those. */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    closeListening(this.#server, () => {
      this.#closed = true
      this.#onClosed()
    })
    this.#onClosing()
  }
}

/**
 * `net.Server`'s close, plus what `http(s).Server`'s own `close()` does besides: it stops the
 * server's headers-timeout interval (`connectionsCheckingInterval`), which otherwise runs for ever
 * and keeps the server, and all it references, reachable after its lifecycle is gone (issue 18.11).
 * Its `closeIdleConnections()` must not run (see `close()`), so it is a no-op for that one call.
 */
function closeListening(server: ServerLike, onClosed: () => void): void {
  const http1 = server instanceof HttpServer || server instanceof HttpsServer
  if (!http1) {
    NetServer.prototype.close.call(server as unknown as NetServer, onClosed)
    return
  }
  const target = server as unknown as { closeIdleConnections: () => void }
  const own = Object.getOwnPropertyDescriptor(target, 'closeIdleConnections')
  target.closeIdleConnections = () => {}
  try {
    const close: (this: unknown, callback: () => void) => unknown =
      server instanceof HttpsServer ? HttpsServer.prototype.close : HttpServer.prototype.close
    close.call(server, onClosed)
  } finally {
    if (own === undefined) delete (target as { closeIdleConnections?: unknown }).closeIdleConnections
    else Object.defineProperty(target, 'closeIdleConnections', own)
  }
}
