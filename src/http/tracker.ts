import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Http2ServerRequest, ServerHttp2Session, ServerHttp2Stream } from 'node:http2'
import { Server as NetServer, type Socket } from 'node:net'
import type { StopContext } from '../core/types.js'
import {
  Connection,
  type ConnectionOwner,
  closeAfter,
  connectionOf,
  onResponseClose,
  onSocketClose,
  onStreamClose,
  tag,
} from './connection.js'
import { HTTP_DEFAULTS } from './defaults.js'
import type { ResolvedHttpOptions } from './options.js'
import type { HttpDrainDetails, ServerLike, WebSocketLike } from './types.js'

const NO_ERROR = 0
/** GOAWAY with the highest stream id: "stop opening streams", while those already sent are still served. */
const MAX_STREAM_ID = 2 ** 31 - 1
const WS_OPEN = 1
const GOING_AWAY = 1001

type Listener = (...args: unknown[]) => void
type Emitter = NodeJS.EventEmitter & Pick<HttpServer, 'listening'>

/** @internal Tracks every connection of one server from registration on, and drains them on stop. */
export class ServerTracker implements ConnectionOwner {
  readonly connections = new Set<Connection>()
  /** TLS sockets from `connection` (raw), until they close: covers handshakes still in progress. */
  readonly #raw = new Set<Socket>()
  readonly #server: Emitter
  readonly #options: ResolvedHttpOptions
  /** Connections may exist that were accepted before registration: Node's own idle/all closers cover them. */
  readonly #late: boolean
  /**
   * Events where a listener of ours would change what Node does (`upgrade`, `connect`; `request` on
   * an HTTP/2 server turns its compatibility API on): we listen only next to the user's listener.
   */
  readonly #alongside = new Map<string, Listener>()
  /** Ours among them, attached now. */
  readonly #attached = new Set<string>()
  draining = false
  #finished = false
  #listenerClosed = false
  #listenerClosing = false
  /** Connections accepted so far: tells whether a loop turn took one from the listen backlog. */
  #accepted = 0
  #requestsAborted = false
  #requestAbortReason: unknown
  #details: HttpDrainDetails = emptyDetails()
  #timers: NodeJS.Timeout[] = []
  #settle: (() => void) | undefined

  constructor(server: ServerLike, options: ResolvedHttpOptions) {
    this.#server = server as unknown as Emitter
    this.#options = options
    this.#late = server.listening
    const secure = typeof (server as { setSecureContext?: unknown }).setSecureContext === 'function'
    const emitter = this.#server
    emitter.prependListener(secure ? 'secureConnection' : 'connection', this.#onConnection)
    if (secure) emitter.prependListener('connection', this.#onRawConnection)
    const http2 = typeof (server as { updateSettings?: unknown }).updateSettings === 'function'
    if (http2) {
      emitter.prependListener('session', this.#onSession)
      emitter.prependListener('stream', this.#onStream)
      this.#alongside.set('request', this.#onRequest as Listener)
    } else {
      emitter.prependListener('request', this.#onRequest)
    }
    this.#alongside.set('upgrade', this.#onUpgrade as Listener)
    this.#alongside.set('connect', this.#onUpgrade as Listener)
    for (const event of this.#alongside.keys()) if (emitter.listenerCount(event) > 0) this.#attach(event)
    emitter.on('newListener', this.#onNewListener)
    emitter.on('removeListener', this.#onRemoveListener)
  }

  // --- tracking ---------------------------------------------------------------------------------

  #add(socket: Socket): Connection {
    const connection = new Connection(socket, this)
    tag(socket, connection)
    this.connections.add(connection)
    socket.on('close', onSocketClose)
    if (this.draining) {
      this.#details.connections++
      // A connection opened now (a TLS handshake that began before the listener closed) is about to send.
      this.#scheduleIdle(connection)
    }
    return connection
  }

  readonly #onConnection = (socket: Socket): void => {
    this.#accepted++
    if (this.#finished) socket.destroy()
    else this.#add(socket)
  }

  readonly #onRawConnection = (socket: Socket): void => {
    this.#accepted++
    if (this.#finished) {
      socket.destroy()
      return
    }
    this.#raw.add(socket)
    socket.once('close', () => {
      this.#raw.delete(socket)
      this.#check()
    })
  }

  readonly #onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse): void => {
    // HTTP/2 compatibility requests are counted as streams.
    if (req.httpVersionMajor === 2) return
    const socket = req.socket as Socket
    const connection = connectionOf(socket) ?? this.#add(socket)
    connection.inflight++
    connection.response = res
    res.on('close', onResponseClose)
    if (this.draining) {
      connection.served = true
      if (closeAfter(res)) this.#beforeCloseResponse(res)
    }
  }

  readonly #onSession = (session: ServerHttp2Session): void => {
    const connection = connectionOf(session.socket)
    if (connection === undefined) return
    connection.session = session
    tag(session, connection)
    if (this.draining) session.goaway(NO_ERROR, MAX_STREAM_ID)
  }

  readonly #onStream = (stream: ServerHttp2Stream): void => {
    const connection = connectionOf(stream.session)
    if (connection === undefined) return
    connection.inflight++
    tag(stream, connection)
    stream.on('close', onStreamClose)
    if (this.draining) connection.served = true
  }

  readonly #onUpgrade = (_req: IncomingMessage, socket: Socket): void => {
    const connection = connectionOf(socket) ?? this.#add(socket)
    connection.upgraded = true
    if (this.draining) {
      connection.served = true
      // A WebSocket opened during the drain: close it too, once `ws` has finished its handshake.
      const timer = setTimeout(() => this.#closeWebSockets(), 0)
      this.#timers.push(timer)
    }
  }

  #attach(event: string): void {
    const listener = this.#alongside.get(event)
    if (listener === undefined || this.#attached.has(event)) return
    this.#attached.add(event)
    this.#server.prependListener(event, listener)
  }

  readonly #onNewListener = (event: string | symbol): void => {
    if (typeof event === 'string') this.#attach(event)
  }

  readonly #onRemoveListener = (event: string | symbol): void => {
    if (typeof event !== 'string' || !this.#attached.has(event)) return
    const listeners = this.#server.listeners(event)
    const ours = this.#alongside.get(event)
    if (ours !== undefined && listeners.length === 1 && listeners[0] === ours) {
      this.#attached.delete(event)
      this.#server.removeListener(event, ours)
    }
  }

  // --- request signals ----------------------------------------------------------------------------

  /** @internal The signal of one request (HTTP/2: stream) of `connection`. */
  requestSignal(connection: Connection, key: object): AbortSignal {
    if (this.#requestsAborted) return AbortSignal.abort(this.#requestAbortReason)
    connection.signals ??= new Map()
    let controller = connection.signals.get(key)
    if (controller === undefined) {
      controller = new AbortController()
      connection.signals.set(key, controller)
    }
    return controller.signal
  }

  #abortRequests(reason: unknown): void {
    if (this.#requestsAborted) return
    this.#requestsAborted = true
    this.#requestAbortReason = reason
    for (const connection of this.connections) {
      const signals = connection.signals
      if (signals === undefined) continue
      connection.signals = undefined
      for (const controller of signals.values()) controller.abort(reason)
    }
  }

  // --- drain ------------------------------------------------------------------------------------

  /** @internal The component's stop hook. */
  drain({ signal, deadline, details }: StopContext): Promise<void> {
    const counts = Object.assign(details, emptyDetails()) as unknown as HttpDrainDetails
    this.#details = counts
    this.draining = true
    return new Promise<void>((resolve) => {
      const onAbort = (): void => this.#abort(signal.reason)
      this.#settle = () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      this.#closeListenerAfterBacklog()
      counts.connections = this.connections.size
      // Run after the deadline (already aborted): nothing left to wait for.
      if (signal.aborted) return this.#abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      for (const connection of this.connections) {
        connection.bytesRead = connection.socket.bytesRead
        if (connection.inflight > 0 || connection.upgraded) connection.served = true
        if (connection.upgraded) continue
        if (connection.session !== undefined) {
          if (!connection.session.closed && !connection.session.destroyed)
            connection.session.goaway(NO_ERROR, MAX_STREAM_ID)
        } else if (connection.inflight > 0 && connection.response !== undefined) {
          if (closeAfter(connection.response)) this.#beforeCloseResponse(connection.response)
        }
      }
      this.#closeWebSockets()
      this.#later(() => this.#endGrace(), this.#options.idleGrace)
      const abortIn = deadline - this.#options.requestAbortLead - Date.now()
      const reason = (): DOMException =>
        new DOMException(`The drain of \`${this.#options.name}\` is about to run out of time`, 'TimeoutError')
      if (abortIn <= 0) this.#abortRequests(reason())
      else this.#later(() => this.#abortRequests(reason()), abortIn)
      this.#check()
    })
  }

  /**
   * Node accepts one connection from the listen backlog per event-loop turn. Under load, the
   * kernel holds connections whose handshake is done and whose request may be sent: closing the
   * listener now would reset them after the client sent its request. So keep accepting (each one
   * is drained like the others, its response gets `Connection: close`) until a loop turn brings
   * none, or `backlogDrainCap` ms have passed; then close it.
   */
  #closeListenerAfterBacklog(): void {
    const cap = performance.now() + HTTP_DEFAULTS.backlogDrainCap
    let seen = this.#accepted
    const step = (): void => {
      if (this.#listenerClosing) return
      if (this.#accepted === seen || performance.now() >= cap) {
        this.#closeListener()
        return
      }
      seen = this.#accepted
      setImmediate(step)
    }
    // Twice: the first check comes after a poll phase, where the accepts happen.
    setImmediate(() => setImmediate(step))
  }

  /**
   * A `Connection: close` response makes its client reconnect at once: from then on, what lands in
   * the backlog is new work, not work that was sent before the drain. So the listener closes just
   * before the first such response goes out, whatever the backlog still holds.
   */
  #beforeCloseResponse(response: ServerResponse): void {
    if (this.#listenerClosing) return
    // Before its first byte leaves: `writeHead` is also what `end()` and `write()` call first.
    // Only responses of the drain, and only until the listener is closed, are wrapped.
    const writeHead = response.writeHead
    const close = (): void => this.#closeListener()
    response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      response.writeHead = writeHead
      close()
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
    } as typeof writeHead
  }

  /** Stops listening, without Node's own `closeIdleConnections()`: a request may be on its way on those. */
  #closeListener(): void {
    if (this.#listenerClosing) return
    this.#listenerClosing = true
    NetServer.prototype.close.call(this.#server as unknown as NetServer, () => {
      this.#listenerClosed = true
      this.#check()
    })
  }

  #later(fn: () => void, ms: number): void {
    const timer = setTimeout(fn, ms)
    this.#timers.push(timer)
  }

  #closeWebSockets(): void {
    const wss = this.#options.webSocketServer
    if (wss === undefined || this.#finished) return
    for (const client of wss.clients) {
      if (client.readyState !== WS_OPEN) continue
      this.#details.webSockets++
      client.close(GOING_AWAY, this.#options.webSocketReason)
    }
  }

  #scheduleIdle(connection: Connection): void {
    clearTimeout(connection.timer)
    connection.bytesRead = connection.socket.bytesRead
    connection.timer = setTimeout(() => {
      connection.timer = undefined
      this.#closeIdle(connection)
    }, this.#options.idleGrace)
  }

  #endGrace(): void {
    for (const connection of this.connections) {
      if (connection.timer === undefined) this.#closeIdle(connection)
    }
    // Connections accepted before registration are unknown to us, but not to Node.
    if (this.#late) (this.#server as Partial<HttpServer>).closeIdleConnections?.()
  }

  #closeIdle(connection: Connection): void {
    if (this.#finished || connection.inflight > 0 || connection.upgraded) return
    if (!this.connections.has(connection)) return
    if (connection.session !== undefined) {
      // The final GOAWAY: the session ends once its last stream has.
      if (!connection.session.closed) connection.session.close()
      return
    }
    // Bytes since it went idle: a request is arriving (it will get `Connection: close`). Look again
    // after another grace, in case those bytes were not a request (TLS records).
    if (connection.socket.bytesRead !== connection.bytesRead) this.#scheduleIdle(connection)
    else connection.socket.destroy()
  }

  /** @internal A response (HTTP/2 stream) ended during the drain. */
  responseEnded(connection: Connection, _response: ServerResponse | undefined): void {
    if (this.#finished) return
    this.#details.requests++
    if (connection.inflight > 0 || connection.upgraded || connection.session !== undefined) return
    const socket = connection.socket
    if (socket.destroyed || socket.writableEnded) return
    // Keep-alive was promised before the drain began (the headers were out): give the client the grace.
    this.#scheduleIdle(connection)
  }

  /** @internal A tracked socket closed. */
  socketClosed(connection: Connection): void {
    clearTimeout(connection.timer)
    if (!this.connections.delete(connection)) return
    if (!this.draining || this.#finished) return
    if (connection.served) this.#details.drained++
    else this.#details.idleClosed++
    this.#check()
  }

  #check(): void {
    if (!this.draining || this.#finished || !this.#listenerClosed) return
    if (this.connections.size === 0 && this.#raw.size === 0) this.#finish()
  }

  #abort(reason: unknown): void {
    if (this.#finished) return
    this.#closeListener()
    this.#abortRequests(reason)
    for (const connection of this.connections) {
      this.#details.destroyed++
      clearTimeout(connection.timer)
      connection.session?.destroy()
      connection.socket.destroy()
    }
    this.connections.clear()
    for (const socket of this.#raw) socket.destroy()
    this.#raw.clear()
    const wss = this.#options.webSocketServer
    if (wss !== undefined) for (const client of wss.clients) terminate(client)
    if (this.#late) (this.#server as Partial<HttpServer>).closeAllConnections?.()
    this.#finish()
  }

  #finish(): void {
    this.#finished = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers = []
    this.#settle?.()
  }
}

function terminate(client: WebSocketLike): void {
  if (client.readyState !== 3) client.terminate()
}

function emptyDetails(): HttpDrainDetails {
  return { connections: 0, idleClosed: 0, drained: 0, destroyed: 0, requests: 0, webSockets: 0 }
}
