import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Http2ServerRequest, ServerHttp2Session, ServerHttp2Stream } from 'node:http2'
import type { Socket } from 'node:net'
import type { DrainState } from './drain.js'
import type { RequestSignals } from './request-signal.js'
import type { ServerHandlers } from './server-listeners.js'
import type { HttpDrainDetails, ServerLike } from './types.js'

const NO_ERROR = 0
/** GOAWAY with the highest stream id: "stop opening streams", while those already sent are still served. */
const MAX_STREAM_ID = 2 ** 31 - 1
/** Timers may fire up to a millisecond before a `performance.now()` deadline. */
const TIMER_SLACK_MS = 1

/** Where a socket and an HTTP/2 session keep their {@link Connection}. */
const kConnection = Symbol('graceful-lifecycle.connection')
type Tagged = { [kConnection]?: Connection }

/** @internal What the connections tell the drain. */
export interface ConnectionEvents {
  /** A connection closed during the drain: it may be over. */
  closed(): void
  /** A response of the drain will end its connection: the listener must close before it goes out. */
  lastResponse(response: ServerResponse): void
  /** A connection was upgraded during the drain (a WebSocket opened: close it too). */
  upgraded(): void
}

/** One connection: HTTP/1, HTTP/2 session or upgraded socket. Only this module sees it. */
class Connection {
  /** The latest HTTP/1 response (the only one that can still say `Connection: close`). */
  response: ServerResponse | undefined = undefined
  /** Responses (HTTP/2: streams) whose end we wait for. HTTP/1 ones are watched only once the stop began. */
  open = 0
  session: ServerHttp2Session | undefined = undefined
  /** The GOAWAY notice went out. */
  goaway = false
  upgraded = false
  /** Served a request during the drain: counted as drained, not idle-closed. */
  served = false
  /** `performance.now()` since which it has been idle in the stop (the stop's start at the latest). */
  quietSince = 0
  /** `socket.bytesRead` at `quietSince`: a change means a request is arriving. */
  bytesRead = 0
  /** `close` listener of its responses and streams: one function per connection, not per request. */
  readonly ended: (this: object) => void

  constructor(
    readonly socket: Socket,
    ended: (connection: Connection, target: object) => void,
  ) {
    const connection = this
    this.ended = function (this: object) {
      ended(connection, this)
    }
  }
}

function connectionOf(target: unknown): Connection | undefined {
  return target === null || target === undefined ? undefined : (target as Tagged)[kConnection]
}

/**
 * Makes an HTTP/1 response the last one of its connection. `false` when its headers are already
 * out (keep-alive was promised and cannot be taken back).
 */
function closeAfter(response: ServerResponse): boolean {
  if (response.headersSent) return false
  response.shouldKeepAlive = false
  // A handler's own `Connection: keep-alive` would win over `shouldKeepAlive`.
  if (response.hasHeader('connection')) response.setHeader('connection', 'close')
  return true
}

/**
 * @internal Every connection of one server, from registration on. While tracking, a request costs
 * one listener call that remembers its response; the close listeners, `Connection: close` and the
 * counts begin with the stop. Idle connections close once they have been quiet for `idleGrace` ms,
 * counted from the stop's start (or from their last keep-alive response, when later): after a drain
 * delay at least that long, idle connections close the moment the drain begins.
 */
export class Connections implements ServerHandlers {
  readonly #all = new Set<Connection>()
  /** TLS sockets from `connection` until they close: covers handshakes still in progress. */
  readonly #handshakes = new Set<Socket>()
  readonly #server: ServerLike
  readonly #signals: RequestSignals
  readonly #events: ConnectionEvents
  /** Connections accepted before registration are unknown to us, but not to Node. */
  #late = false
  /**
   * The drain's state, as it applies to a response, request or idle socket: nothing while
   * `tracking`; from `retiring` on (the stop began) every response not yet started says
   * `Connection: close` (HTTP/2: a GOAWAY notice); `draining` also closes idle connections;
   * `finished` destroys anything new.
   */
  #phase: DrainState = 'tracking'
  #accepted = 0
  #details: HttpDrainDetails
  #idleGrace = 0
  #stoppedAt = 0
  #lateClosed = false
  #timer: NodeJS.Timeout | undefined = undefined
  #timerAt = Number.POSITIVE_INFINITY

  constructor(
    server: ServerLike,
    signals: RequestSignals,
    events: ConnectionEvents,
    details: HttpDrainDetails,
  ) {
    this.#server = server
    this.#signals = signals
    this.#events = events
    this.#details = details
  }

  /** Connections accepted so far (the listener's backlog watch). */
  get accepted(): number {
    return this.#accepted
  }

  get empty(): boolean {
    return this.#all.size === 0 && this.#handshakes.size === 0
  }

  /** Tracking begins (at registration). */
  track(): void {
    this.#late = this.#server.listening
  }

  // --- phases, moved on by the drain ------------------------------------------------------------

  /** The stop began: every response from now on is the last of its connection. */
  retire(): void {
    this.#phase = 'retiring'
    this.#stoppedAt = performance.now()
    for (const connection of this.#all) {
      this.#quiet(connection, this.#stoppedAt)
      if (connection.upgraded) continue
      if (connection.session !== undefined) this.#goaway(connection)
      else {
        const response = connection.response
        if (response === undefined || response.writableFinished) continue
        this.#watch(connection, response)
        closeAfter(response)
      }
    }
  }

  /** The drain began: count. Idle connections close from the first {@link sweep} on. */
  drain(idleGrace: number, details: HttpDrainDetails): void {
    if (this.#phase === 'tracking') this.retire()
    this.#phase = 'draining'
    this.#idleGrace = idleGrace
    this.#details = details
    details.connections = this.#all.size
    for (const connection of this.#all) {
      connection.served = connection.open > 0 || connection.upgraded
      // A session opened during the stop that has sent no stream yet gets its notice now.
      if (connection.session !== undefined) this.#goaway(connection)
      const response = connection.response
      if (response !== undefined && connection.open > 0 && !response.headersSent)
        this.#events.lastResponse(response)
    }
  }

  /** Destroys every connection (the hook's signal aborted), each counted as destroyed. */
  destroyAll(): void {
    this.#phase = 'finished'
    for (const connection of this.#all) {
      this.#details.destroyed++
      connection.session?.destroy()
      connection.socket.destroy()
    }
    this.#all.clear()
    for (const socket of this.#handshakes) socket.destroy()
    this.#handshakes.clear()
    if (this.#late) (this.#server as Partial<HttpServer>).closeAllConnections?.()
    this.finish()
  }

  finish(): void {
    this.#phase = 'finished'
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  // --- server events (`ServerHandlers`) ---------------------------------------------------------

  readonly connection = (socket: Socket): void => {
    this.#accepted++
    if (this.#phase === 'finished') socket.destroy()
    else this.#add(socket)
  }

  readonly handshake = (socket: Socket): void => {
    this.#accepted++
    if (this.#phase === 'finished') {
      socket.destroy()
      return
    }
    this.#handshakes.add(socket)
    socket.once('close', () => {
      this.#handshakes.delete(socket)
      if (this.#phase === 'draining') this.#events.closed()
    })
  }

  /** The hot path: while tracking, one property read and one write. */
  readonly request = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse): void => {
    // HTTP/2 compatibility requests are counted as streams.
    if (req.httpVersionMajor === 2) return
    const socket = req.socket as Socket
    const connection = connectionOf(socket) ?? this.#add(socket)
    connection.response = res
    if (this.#phase === 'tracking') return
    this.#watch(connection, res)
    const last = closeAfter(res)
    if (this.#phase !== 'draining') return
    connection.served = true
    if (last) this.#events.lastResponse(res)
  }

  readonly session = (session: ServerHttp2Session): void => {
    const connection = connectionOf(session.socket)
    if (connection === undefined) return
    connection.session = session
    ;(session as Tagged)[kConnection] = connection
    if (this.#phase === 'draining') this.#goaway(connection)
  }

  readonly stream = (stream: ServerHttp2Stream): void => {
    const connection = connectionOf(stream.session)
    if (connection === undefined) return
    connection.open++
    stream.on('close', connection.ended)
    if (this.#phase === 'tracking') return
    // A session opened during the stop: the notice goes out with its first stream (sent before it).
    this.#goaway(connection)
    if (this.#phase === 'draining') connection.served = true
  }

  readonly upgrade = (_req: IncomingMessage, socket: Socket): void => {
    const connection = connectionOf(socket) ?? this.#add(socket)
    connection.upgraded = true
    if (this.#phase !== 'draining') return
    connection.served = true
    this.#events.upgraded()
  }

  // --- per connection ---------------------------------------------------------------------------

  #add(socket: Socket): Connection {
    const connection = new Connection(socket, (c, target) => this.#ended(c, target))
    ;(socket as Tagged)[kConnection] = connection
    this.#signals.mark(socket)
    this.#all.add(connection)
    socket.on('close', () => this.#closed(connection))
    if (this.#phase === 'tracking') return connection
    // Opened during the stop: its grace counts from now (it is about to send).
    this.#quiet(connection, performance.now())
    if (this.#phase === 'draining') {
      this.#details.connections++
      this.#arm(connection.quietSince + this.#idleGrace)
    }
    return connection
  }

  #watch(connection: Connection, response: ServerResponse): void {
    connection.open++
    response.on('close', connection.ended)
  }

  #quiet(connection: Connection, since: number): void {
    connection.quietSince = since
    connection.bytesRead = connection.socket.bytesRead
  }

  #goaway(connection: Connection): void {
    const session = connection.session
    if (connection.goaway || session === undefined || session.closed || session.destroyed) return
    connection.goaway = true
    session.goaway(NO_ERROR, MAX_STREAM_ID)
  }

  /** A watched response (HTTP/2: stream) closed, finished or aborted. */
  #ended(connection: Connection, target: object): void {
    connection.open--
    if (connection.response === target) connection.response = undefined
    if (this.#phase === 'tracking' || this.#phase === 'finished') return
    if (this.#phase === 'draining') this.#details.requests++
    if (connection.open > 0 || connection.upgraded) return
    const socket = connection.socket
    if (connection.session === undefined && (socket.destroyed || socket.writableEnded)) return
    // Keep-alive was promised before the stop began (the headers were out): the grace starts now.
    this.#quiet(connection, performance.now())
    if (this.#phase === 'draining') this.#arm(connection.quietSince + this.#idleGrace)
  }

  #closed(connection: Connection): void {
    if (!this.#all.delete(connection) || this.#phase !== 'draining') return
    if (connection.served) this.#details.drained++
    else this.#details.idleClosed++
    this.#events.closed()
  }

  // --- idle connections during the drain --------------------------------------------------------

  /**
   * Closes every idle connection whose grace has ended, and arms one timer for the next that
   * will. The drain sweeps first when the listener closes: while the backlog is still being
   * accepted, a loop turn spent closing sockets would only delay that.
   */
  readonly sweep = (): void => {
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    if (this.#phase !== 'draining') return
    const now = performance.now() + TIMER_SLACK_MS
    const grace = this.#idleGrace
    let next = Number.POSITIVE_INFINITY
    for (const connection of this.#all) {
      if (connection.open > 0 || connection.upgraded) continue
      const due = connection.quietSince + grace
      if (due > now) next = Math.min(next, due)
      else if (connection.session !== undefined) {
        // The final GOAWAY: the session ends once its last stream has.
        if (!connection.session.closed) connection.session.close()
      } else if (connection.socket.bytesRead !== connection.bytesRead) {
        // Bytes since it went quiet: a request is arriving (it will get `Connection: close`).
        // Look again after another grace, in case those bytes were not a request (TLS records).
        this.#quiet(connection, now)
        next = Math.min(next, now + grace)
      } else {
        connection.socket.destroy()
        // Gone now: its `close` event comes a loop phase later, after every other socket's.
        this.#closed(connection)
      }
    }
    if (this.#late && !this.#lateClosed) {
      const due = this.#stoppedAt + grace
      if (due > now) next = Math.min(next, due)
      else {
        this.#lateClosed = true
        ;(this.#server as Partial<HttpServer>).closeIdleConnections?.()
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next)
  }

  #arm(at: number): void {
    if (at >= this.#timerAt) return
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(this.sweep, Math.max(0, at - performance.now()))
  }
}
