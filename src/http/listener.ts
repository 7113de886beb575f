import type { ServerResponse } from 'node:http'
import { HTTP_DEFAULTS } from './defaults.js'
import type { ServerLike } from './types.js'

/**
 * @internal The listening socket of one server during the drain. It does not close the moment
 * the drain begins: Node takes one connection from the listen backlog per event-loop turn, and
 * under load the kernel holds connections whose handshake is done and whose request may be sent;
 * closing now would reset them. So it keeps accepting (each connection is drained like the
 * others) until a loop turn brings none, or `backlogDrainCap` ms have passed. And it closes just
 * before the first `Connection: close` response of the drain goes out, whatever the backlog still
 * holds: that response makes its client reconnect at once, so what lands in the backlog from then
 * on is new work, not work sent before the drain.
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
    const cap = performance.now() + HTTP_DEFAULTS.backlogDrainCap
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
   * Closes just before `response` sends its first byte: `writeHead` is also what `end()` and
   * `write()` call first. Only responses of the drain are wrapped, and only while the listener is open.
   */
  closeBefore(response: ServerResponse): void {
    if (this.#closing) return
    const writeHead = response.writeHead
    const close = (): void => this.close()
    response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      response.writeHead = writeHead
      close()
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
    } as typeof writeHead
  }

  /**
   * Stops listening with the server's own public `close()`, but without the `closeIdleConnections()`
   * that `node:http`'s `close()` calls first (Node ≥ 19, Deno): a request may be on its way on one of
   * those, and the idle grace decides when they close. Bun's `close()` closes idle connections in
   * native code, out of our reach (see `degradations()` in ./runtime.ts).
   */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    const server = this.#server as unknown as Closable
    const own = Object.getOwnPropertyDescriptor(server, 'closeIdleConnections')
    Object.defineProperty(server, 'closeIdleConnections', { value: noop, configurable: true, writable: true })
    try {
      // The callback also runs (with ERR_SERVER_NOT_RUNNING) for a server that never listened.
      server.close(() => {
        this.#closed = true
        this.#onClosed()
      })
    } finally {
      if (own === undefined) delete server.closeIdleConnections
      else Object.defineProperty(server, 'closeIdleConnections', own)
    }
    this.#onClosing()
  }
}

/** What the listener uses of a server: `net.Server#close()`'s public shape, on every runtime. */
interface Closable {
  close(callback: (error?: Error) => void): unknown
  closeIdleConnections?: () => void
}

function noop(): void {}
