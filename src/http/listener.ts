import type { ServerResponse } from 'node:http'
import { Server as NetServer } from 'node:net'
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
   * Stops listening, and nothing else. On a `net.Server` (Node, Deno) that is net.Server's own
   * documented `close()`: the subclass's `close()` would also close every idle keep-alive connection
   * (`node:http`, Node ≥ 19), every HTTP/2 session (Node ≥ 24) and end the `headersTimeout` checks,
   * none of which the idle grace could take back. Bun's `node:http` server is no `net.Server`: its
   * own `close()` is the only way, and it closes idle connections in native code (`degradations()`
   * in ./runtime.ts says so in the report).
   */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    const closed = (): void => {
      this.#closed = true
      this.#onClosed()
    }
    // The callback also runs (with ERR_SERVER_NOT_RUNNING) for a server that never listened.
    if (this.#server instanceof NetServer) NetServer.prototype.close.call(this.#server, closed)
    else (this.#server as unknown as Closable).close(closed)
    this.#onClosing()
  }
}

/** The public shape of a server's `close()`, on a runtime whose server is no `net.Server`. */
interface Closable {
  close(callback: (error?: Error) => void): unknown
}
