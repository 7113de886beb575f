import type { ServerResponse } from 'node:http'
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2'
import type { Socket } from 'node:net'

/** @internal Where a socket, an HTTP/2 session or stream keeps its {@link Connection}. */
export const kConnection = Symbol('graceful-lifecycle.connection')

/** @internal What a connection reports back to the server it belongs to. */
export interface ConnectionOwner {
  readonly draining: boolean
  responseEnded(connection: Connection, response: ServerResponse | undefined): void
  socketClosed(connection: Connection): void
}

/** @internal One tracked connection: HTTP/1, HTTP/2 session or upgraded socket. */
export class Connection {
  /** Requests (HTTP/2 streams) whose response has not ended yet. */
  inflight = 0
  /** The latest HTTP/1 response: the one that gets `Connection: close` when the drain begins. */
  response: ServerResponse | undefined = undefined
  session: ServerHttp2Session | undefined = undefined
  upgraded = false
  /** Served a request during the drain (so it counts as drained, not idle-closed). */
  served = false
  /** `socket.bytesRead` when the connection was last seen idle: a change means a request is arriving. */
  bytesRead = 0
  timer: NodeJS.Timeout | undefined = undefined
  /** `requestSignal()` controllers of this connection's requests, keyed by request (HTTP/2: stream). */
  signals: Map<object, AbortController> | undefined = undefined

  constructor(
    readonly socket: Socket,
    readonly owner: ConnectionOwner,
  ) {}
}

type Tagged = { [kConnection]?: Connection }

/** @internal The connection of a socket (also through an HTTP/2 socket proxy). */
export function connectionOf(socket: unknown): Connection | undefined {
  return socket === null || socket === undefined ? undefined : (socket as Tagged)[kConnection]
}

/** @internal Tags an object with its connection. */
export function tag(target: object, connection: Connection): void {
  ;(target as Tagged)[kConnection] = connection
}

// Module-level listeners: `this` is the emitter, so no closure is allocated per request.

/** @internal `close` of a tracked socket. */
export function onSocketClose(this: Socket): void {
  const connection = connectionOf(this)
  if (connection !== undefined) connection.owner.socketClosed(connection)
}

/** @internal `close` of an HTTP/1 response: it ended (finished or aborted). */
export function onResponseClose(this: ServerResponse): void {
  const connection = connectionOf(this.req.socket)
  if (connection === undefined) return
  connection.inflight--
  if (connection.response === this) connection.response = undefined
  if (connection.signals !== undefined) connection.signals.delete(this.req)
  if (connection.owner.draining) connection.owner.responseEnded(connection, this)
}

/** @internal `close` of an HTTP/2 stream. */
export function onStreamClose(this: ServerHttp2Stream): void {
  const connection = connectionOf(this)
  if (connection === undefined) return
  connection.inflight--
  if (connection.signals !== undefined) connection.signals.delete(this)
  if (connection.owner.draining) connection.owner.responseEnded(connection, undefined)
}

/**
 * @internal Makes an HTTP/1 response the last one of its connection. `false` when its headers
 * are already out (keep-alive was promised and cannot be taken back).
 */
export function closeAfter(response: ServerResponse): boolean {
  if (response.headersSent) return false
  response.shouldKeepAlive = false
  // A handler's own `Connection: keep-alive` would win over `shouldKeepAlive`.
  if (response.hasHeader('connection')) response.setHeader('connection', 'close')
  return true
}
