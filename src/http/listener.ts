import { Server as NetServer } from 'node:net'
import { HTTP_DEFAULTS } from './defaults.js'
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

  /** Stops listening, without Node's own `closeIdleConnections()`: a request may be on its way on those. */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    NetServer.prototype.close.call(this.#server as unknown as NetServer, () => {
      this.#closed = true
      this.#onClosed()
    })
    this.#onClosing()
  }
}
