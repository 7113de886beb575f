import { connect, type Socket } from 'node:net'
import type { Result } from './outcome.js'

const HEADER_END = '\r\n\r\n'

interface Pending {
  readonly resolve: (result: Result) => void
  readonly sentAt: number
  received: number
}

/**
 * @internal A raw HTTP/1.1 keep-alive connection on a `net` socket: the next request is written
 * the moment the previous response completes, with no pool in between, so it races the server's
 * close the way a busy upstream proxy does.
 */
export class RawConnection {
  readonly #socket: Socket
  #buffer = ''
  #pending: Pending | undefined
  #closed = false
  /** performance.now() when the connection was established. */
  readonly openedAt = performance.now()

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.setEncoding('latin1')
    socket.setNoDelay(true)
    socket.on('data', (chunk: string) => this.#onData(chunk))
    socket.on('end', () => this.#fail('hangup'))
    socket.on('error', () => this.#fail('reset'))
    socket.on('close', () => this.#fail('hangup'))
  }

  /** Connects; rejects with the socket error (ECONNREFUSED when nobody listens). */
  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host)
      socket.once('error', reject)
      socket.once('connect', () => {
        socket.off('error', reject)
        resolve(new RawConnection(socket))
      })
    })
  }

  get closed(): boolean {
    return this.#closed || this.#socket.destroyed
  }

  request(method: string, path: string, host: string): Promise<Result> {
    if (this.closed) {
      return Promise.resolve({
        outcome: 'closedBeforeSend',
        close: false,
        at: performance.now(),
        sentAt: undefined,
        connectedAt: this.openedAt,
      })
    }
    return new Promise((resolve) => {
      this.#pending = { resolve, received: 0, sentAt: performance.now() }
      const body = method === 'GET' || method === 'HEAD' ? '' : 'content-length: 0\r\n'
      this.#socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n${body}\r\n`)
    })
  }

  destroy(): void {
    this.#socket.destroy()
  }

  #onData(chunk: string): void {
    this.#buffer += chunk
    if (this.#pending) this.#pending.received += chunk.length
    const headerEnd = this.#buffer.indexOf(HEADER_END)
    if (headerEnd === -1) return
    const head = this.#buffer.slice(0, headerEnd).toLowerCase()
    const length = Number(/\r\ncontent-length: *(\d+)/.exec(head)?.[1] ?? Number.NaN)
    const bodyStart = headerEnd + HEADER_END.length
    let end: number
    if (Number.isFinite(length)) {
      end = bodyStart + length
      if (this.#buffer.length < end) return
    } else if (/\r\ntransfer-encoding: *chunked/.test(head)) {
      const last = this.#buffer.indexOf('\r\n0\r\n\r\n', bodyStart - 2)
      if (last === -1) return
      end = last + 7
    } else {
      // Neither length nor chunks: the body ends with the connection (`#fail` sees it).
      return
    }
    this.#buffer = this.#buffer.slice(end)
    const pending = this.#pending
    this.#pending = undefined
    const status = Number(/^http\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)
    const close = /\r\nconnection: *close/.test(head)
    if (close) this.#closed = true
    pending?.resolve({
      outcome: status > 0 && status < 500 ? 'ok' : 'status',
      close,
      at: performance.now(),
      sentAt: pending.sentAt,
      connectedAt: this.openedAt,
    })
  }

  #fail(outcome: 'reset' | 'hangup'): void {
    this.#closed = true
    const pending = this.#pending
    if (!pending) return
    this.#pending = undefined
    pending.resolve({
      outcome: pending.received > 0 ? 'truncated' : outcome,
      close: false,
      at: performance.now(),
      sentAt: pending.sentAt,
      connectedAt: this.openedAt,
    })
  }
}
