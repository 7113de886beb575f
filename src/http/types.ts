import type { Server as HttpServer } from 'node:http'
import type { Http2SecureServer, Http2Server } from 'node:http2'
import type { Server as HttpsServer } from 'node:https'

/** A `node:http`, `node:https` or `node:http2` server (what Express, Fastify and Koa listen with). */
export type ServerLike = HttpServer | HttpsServer | Http2Server | Http2SecureServer

/**
 * What the package uses of a `ws` `WebSocket` (`httpServer()`'s `webSocketServer` option and
 * `graceful-lifecycle/ws`; both entry points export this one type).
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number
  close(code?: number, reason?: string): void
  terminate(): void
  once(event: 'close', listener: () => void): unknown
}

/**
 * What the package uses of a `ws` `WebSocketServer` (with `clientTracking`, the default), in
 * `httpServer()`'s `webSocketServer` option and `wsServer()` of `graceful-lifecycle/ws`.
 */
export interface WebSocketServerLike {
  readonly clients: Iterable<WebSocketLike> & { readonly size: number }
  close(callback?: (error?: Error) => void): void
}

/** Options of `httpServer()`. */
export interface HttpServerOptions {
  /** Component name, unique in its lifecycle. @default DEFAULTS.http.name ('http') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** The drain's budget in ms; when it runs out, every remaining socket is destroyed. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** See `DEFAULTS.http.idleGrace`. @default DEFAULTS.http.idleGrace (500) */
  readonly idleGrace?: number
  /** See `DEFAULTS.http.requestAbortLead`. @default DEFAULTS.http.requestAbortLead (1000) */
  readonly requestAbortLead?: number
  /** A `ws` `WebSocketServer` on this server: its clients get a close frame with code 1001 when the drain begins. */
  readonly webSocketServer?: WebSocketServerLike
  /** The close reason sent with code 1001. @default DEFAULTS.http.webSocketReason */
  readonly webSocketReason?: string
}

/**
 * What the hook's report `details` hold. Every connection open when the drain began (or opened
 * during it) ends in exactly one of `idleClosed`, `drained`, `destroyed`.
 */
export interface HttpDrainDetails {
  /** Connections open when the drain began or opened during it. */
  connections: number
  /** Closed without serving a request during the drain (by us at the end of the idle grace, or by the client). */
  idleClosed: number
  /** Served at least one request during the drain (or was upgraded) and then closed cleanly. */
  drained: number
  /** Still open when the hook's signal aborted: destroyed. */
  destroyed: number
  /** Requests (HTTP/2 streams) that ended during the drain. */
  requests: number
  /** WebSocket clients sent a close frame with code 1001. */
  webSockets: number
}
