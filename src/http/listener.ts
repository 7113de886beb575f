import { Server as HttpServer } from 'node:http'
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

  /**
   * Stops listening, and nothing else: not Node's own `closeIdleConnections()` (a request may be on
   * its way on those), nor every HTTP/2 session (Node ≥ 24). See `closeListening()`.
   */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    const closed = (): void => {
      this.#closed = true
      this.#onClosed()
    }
    closeListening(this.#server, closed)
    this.#onClosing()
  }
}

/** The public shape of a server's `close()`, on a runtime whose server is no `net.Server`. */
interface Closable {
  close(callback: (error?: Error) => void): unknown
}

/**
 * Stops listening. On a `node:http(s)` server, `http.Server`'s own `close()` with its
 * `closeIdleConnections()` a no-op for that one call: it also stops the server's headers-timeout
 * interval, which otherwise runs for ever and keeps the server, and all it references, reachable
 * after its lifecycle is gone (issue 18.11). On any other `net.Server` (HTTP/2), `net.Server`'s
 * documented `close()`. Bun's `node:http` server is no `net.Server`: its own `close()` is the only
 * way, and it closes idle connections in native code (`degradations()` in ./runtime.ts says so in
 * the report). The callback also runs (with ERR_SERVER_NOT_RUNNING) for a server that never listened.
 */
function closeListening(server: ServerLike, onClosed: () => void): void {
  if (!(server instanceof NetServer)) {
    ;(server as unknown as Closable).close(onClosed)
    return
  }
  const http1 = server instanceof HttpServer || isHttpsServer(server)
  if (!http1) {
    NetServer.prototype.close.call(server, onClosed)
    return
  }
  const target = server as unknown as { closeIdleConnections: () => void }
  const own = Object.getOwnPropertyDescriptor(target, 'closeIdleConnections')
  target.closeIdleConnections = () => {}
  try {
    // `https.Server#close` is `http.Server#close` with `tls.Server#close`, which is `net.Server#close`.
    HttpServer.prototype.close.call(server, onClosed)
  } finally {
    if (own === undefined) delete (target as { closeIdleConnections?: unknown }).closeIdleConnections
    else Object.defineProperty(target, 'closeIdleConnections', own)
  }
}

/**
 * Whether `server` is an `https.Server`, without loading `node:https` (and TLS with it) on import:
 * it costs about 35 M instructions (`npm run bench -- import`). A process that made an HTTPS server
 * has loaded it already; one that did not has none.
 */
function isHttpsServer(server: NetServer): boolean {
  if (typeof (server as { setSecureContext?: unknown }).setSecureContext !== 'function') return false
  const https = process.getBuiltinModule?.('node:https') as typeof import('node:https') | undefined
  return https !== undefined && server instanceof https.Server
}
