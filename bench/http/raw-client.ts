/**
 * A raw HTTP/1.1 keep-alive client on `net` sockets: one request at a time per connection, and
 * the next one written the moment the previous response completes (no pool, no delay), so it
 * races the server's close the way a busy upstream proxy does.
 */
import { connect, type Socket } from 'node:net'
import type { Result } from './outcome.js'

const HEADER_END = '\r\n\r\n'

interface Pending {
  resolve: (result: Result) => void
  received: number
}

export class RawConnection {
  readonly #socket: Socket
  #buffer = ''
  #pending: Pending | undefined
  #ended = false
  #error: NodeJS.ErrnoException | undefined

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.setEncoding('latin1')
    socket.setNoDelay(true)
    socket.on('data', (chunk: string) => this.#onData(chunk))
    socket.on('end', () => {
      this.#ended = true
      this.#fail('hangup')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error
      this.#fail('reset')
    })
    socket.on('close', () => {
      this.#ended = true
      this.#fail('hangup')
    })
  }

  /** Connects; rejects with the socket error (ECONNREFUSED when nobody listens). */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      const onError = (error: Error) => reject(error)
      socket.once('error', onError)
      socket.once('connect', () => {
        socket.off('error', onError)
        resolve(new RawConnection(socket))
      })
    })
  }

  /** The connection can no longer carry a request (closed by either side). */
  get closed(): boolean {
    return this.#ended || this.#error !== undefined || this.#socket.destroyed
  }

  /** Writes `GET path` at once, unless the connection already closed ('closedBeforeSend'). */
  request(path: string): Promise<Result> {
    if (this.#pending) throw new Error('one request at a time')
    if (this.closed)
      return Promise.resolve({ outcome: 'closedBeforeSend', close: false, at: performance.now() })
    return new Promise((resolve) => {
      this.#pending = { resolve, received: 0 }
      this.#socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    })
  }

  /** Closes our side (after a `Connection: close` answer, or when the load ends). */
  end(): void {
    this.#socket.end()
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
    } else {
      // chunked (only a library's own answer would be): complete at the last chunk
      const last = this.#buffer.indexOf('\r\n0\r\n\r\n', bodyStart - 2)
      if (last === -1) return
      end = last + 7
    }
    this.#buffer = this.#buffer.slice(end)
    const pending = this.#pending
    this.#pending = undefined
    pending?.resolve({
      outcome: head.startsWith('http/1.1 200') ? 'ok' : 'status',
      close: /\r\nconnection: *close/.test(head),
      at: performance.now(),
    })
  }

  #fail(outcome: 'reset' | 'hangup'): void {
    const pending = this.#pending
    if (!pending) return
    this.#pending = undefined
    pending.resolve({
      outcome: pending.received > 0 ? 'truncated' : outcome,
      close: false,
      at: performance.now(),
    })
  }
}

/** One request on a fresh connection: 'refused' when the connect fails. */
export async function requestOnNewConnection(
  port: number,
  path: string,
): Promise<Result & { conn?: RawConnection }> {
  let conn: RawConnection
  try {
    conn = await RawConnection.open(port)
  } catch (error) {
    // nothing was written either way
    const code = (error as NodeJS.ErrnoException).code
    return {
      outcome: code === 'ECONNREFUSED' ? 'refused' : 'closedBeforeSend',
      close: false,
      at: performance.now(),
    }
  }
  return { ...(await conn.request(path)), conn }
}
