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
/**
 * While requests keep arriving, an idle connection waits up to this many idle graces: a client
 * that is still sending comes back to its pooled connections and is told `Connection: close` on
 * them, which closing them under it would race.
 */
const BUSY_GRACES = 4

/** Where a socket and an HTTP/2 session keep their {@link Connection}. */
const kConnection = Symbol('graceful-lifecycle.connection')
type Tagged = { [kConnection]?: Connection }

/** @internal What the connections tell the drain. */
export interface ConnectionEvents {
  /** A connection closed during the drain: it may be over. */
  closed(): void
  /** A connection was upgraded during the drain (a WebSocket opened: close it too). */
  upgraded(): void
}

/** One connection: HTTP/1, HTTP/2 session or upgraded socket. Only this module sees it. */
class Connection {
  /** The HTTP/1 response in flight, until it closes (the only one that can still say `Connection: close`). */
  response: ServerResponse | undefined = undefined
  /** Responses (HTTP/2: streams) not closed yet. */
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

  constructor(
    readonly socket: Socket,
    /** Its server's `requestSignal()` controllers: the socket carries one tag, not two. */
    readonly signals: RequestSignals,
  ) {}
}

function connectionOf(target: unknown): Connection | undefined {
  return target === null || target === undefined ? undefined : (target as Tagged)[kConnection]
}

/** @internal The `requestSignal()` controllers of the server a socket belongs to. */
export function signalsOf(socket: unknown): RequestSignals | undefined {
  if (socket === null || typeof socket !== 'object') return undefined
  try {
    return connectionOf(socket)?.signals
  } catch {
    // The socket proxy of an HTTP/2 session that has already been destroyed.
    return undefined
  }
}

/**
 * Makes an HTTP/1 response the last one of its connection, unless its headers are already out
 * (keep-alive was promised and cannot be taken back).
 */
function closeAfter(response: ServerResponse): void {
  if (response.headersSent) return
  response.shouldKeepAlive = false
  // A handler's own `Connection: keep-alive` would win over `shouldKeepAlive`.
  if (response.hasHeader('connection')) response.setHeader('connection', 'close')
}

/**
 * @internal Every connection of one server, from registration on. A request costs one listener
 * call that remembers its response until the response closes (one shared `close` listener): an
 * idle connection holds nothing of its last request. Nothing changes for clients until the drain:
 * a drain delay serves keep-alive as before, so clients that connect straight here do not
 * reconnect through it (and land in the listen backlog when it ends). Once the drain has closed
 * the listener, every response says `Connection: close` (HTTP/2: a GOAWAY notice) and idle
 * connections close once they have been quiet for `idleGrace` ms, counted from the stop's start
 * or from their last response, when later: after a drain delay at least that long, connections
 * that sat idle through it close the moment the listener has closed.
 */
export class Connections implements ServerHandlers {
  readonly #all = new Set<Connection>()
  /** TLS sockets from `connection` until they close: covers handshakes still in progress. */
  readonly #handshakes = new Set<Socket>()
  readonly #server: ServerLike
  readonly #signals: RequestSignals
  readonly #events: ConnectionEvents
  /** `close` listener of every response, stream and socket: one function per server, not per request. */
  readonly #onClose: (this: object) => void
  /** Connections accepted before registration are unknown to us, but not to Node. */
  #late = false
  #phase: DrainState = 'tracking'
  /** The drain has closed the listener: from now on nothing new reaches the backlog because of us. */
  #listenerClosed = false
  #accepted = 0
  #details: HttpDrainDetails
  #idleGrace = 0
  #stoppedAt = 0
  /** When the last request (HTTP/2: stream) of the stop arrived, on any connection. */
  #lastRequestAt = 0
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
    const closed = (target: object): void => this.#onClosed(target)
    this.#onClose = function (this: object) {
      closed(this)
    }
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

  /** The stop began: idle time counts from now. Clients see no change. */
  retire(): void {
    this.#phase = 'retiring'
    this.#stoppedAt = performance.now()
    this.#lastRequestAt = this.#stoppedAt
    for (const connection of this.#all) this.#quiet(connection, this.#stoppedAt)
  }

  /**
   * The drain began: count. Clients are told to leave once the listener has closed
   * ({@link listenerClosed}): the listen backlog may still hold connections sent before the stop.
   */
  drain(idleGrace: number, details: HttpDrainDetails): void {
    if (this.#phase === 'tracking') this.retire()
    this.#phase = 'draining'
    this.#idleGrace = idleGrace
    this.#details = details
    details.connections = this.#all.size
    for (const connection of this.#all) connection.served = connection.open > 0 || connection.upgraded
  }

  /**
   * The listener has closed: a client told to leave now is refused when it reconnects, never
   * queued in a backlog that closing the listener resets. Every response not yet started says
   * `Connection: close`, GOAWAY notices go out, idle connections close.
   */
  listenerClosed(): void {
    this.#listenerClosed = true
    if (this.#phase !== 'draining') return
    for (const connection of this.#all) {
      if (connection.response !== undefined) closeAfter(connection.response)
      this.#goaway(connection)
    }
    this.sweep()
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

  /** The hot path: while tracking, one property read, two writes and one `close` listener. */
  readonly request = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse): void => {
    // HTTP/2 compatibility requests are counted as streams.
    if (req.httpVersionMajor === 2) return
    const socket = req.socket as Socket
    const connection = connectionOf(socket) ?? this.#add(socket)
    connection.response = res
    connection.open++
    res.on('close', this.#onClose)
    if (this.#phase === 'tracking') return
    this.#lastRequestAt = performance.now()
    if (this.#phase !== 'draining') return
    connection.served = true
    if (this.#listenerClosed) closeAfter(res)
  }

  readonly session = (session: ServerHttp2Session): void => {
    const connection = connectionOf(session.socket)
    if (connection === undefined) return
    connection.session = session
    ;(session as Tagged)[kConnection] = connection
    if (this.#listenerClosed) this.#goaway(connection)
  }

  readonly stream = (stream: ServerHttp2Stream): void => {
    const connection = connectionOf(stream.session)
    if (connection === undefined) return
    connection.open++
    // A stream's session is gone once it has closed: the stream remembers its connection.
    ;(stream as Tagged)[kConnection] = connection
    stream.on('close', this.#onClose)
    if (this.#phase === 'tracking') return
    this.#lastRequestAt = performance.now()
    if (this.#phase !== 'draining') return
    connection.served = true
    // A session opened during the drain: the notice goes out with its first stream (sent before it).
    if (this.#listenerClosed) this.#goaway(connection)
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
    const connection = new Connection(socket, this.#signals)
    ;(socket as Tagged)[kConnection] = connection
    this.#all.add(connection)
    socket.on('close', this.#onClose)
    if (this.#phase === 'tracking') return connection
    // Opened during the stop: its grace counts from now (it is about to send).
    this.#quiet(connection, performance.now())
    if (this.#phase === 'draining') {
      this.#details.connections++
      this.#arm(connection.quietSince + this.#idleGrace)
    }
    return connection
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

  /** A socket, a response or an HTTP/2 stream closed. */
  #onClosed(target: object): void {
    const tagged = connectionOf(target)
    if (tagged !== undefined && tagged.socket === target) {
      this.#closed(tagged)
      return
    }
    // A response: its request still knows the socket.
    const connection = tagged ?? connectionOf((target as ServerResponse).req?.socket)
    if (connection !== undefined) this.#ended(connection, target)
  }

  /** A response (HTTP/2: stream) closed, finished or aborted. */
  #ended(connection: Connection, target: object): void {
    connection.open--
    if (connection.response === target) connection.response = undefined
    if (this.#phase === 'tracking' || this.#phase === 'finished') return
    if (this.#phase === 'draining') this.#details.requests++
    if (connection.open > 0 || connection.upgraded) return
    const socket = connection.socket
    if (connection.session === undefined && (socket.destroyed || socket.writableEnded)) return
    // Its grace starts now: the client may send again on it at any moment.
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
   * will. Nothing closes before the listener has: a client whose connection closes reconnects at
   * once, and would land in the backlog that closing the listener resets.
   */
  readonly sweep = (): void => {
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    if (this.#phase !== 'draining' || !this.#listenerClosed) return
    const now = performance.now() + TIMER_SLACK_MS
    const grace = this.#idleGrace
    const serverQuiet = this.#lastRequestAt + grace
    let next = Number.POSITIVE_INFINITY
    for (const connection of this.#all) {
      if (connection.open > 0 || connection.upgraded) continue
      const quiet = connection.quietSince
      const due = Math.max(quiet + grace, Math.min(serverQuiet, quiet + BUSY_GRACES * grace))
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
