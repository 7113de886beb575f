import type { HttpServerOptions, ServerLike } from '../http/types.js'

/** What `fastifyApp()` uses of a Fastify instance (v4 or v5): its server and `close()`. */
export interface FastifyAppLike {
  /** The `node:http`/`https`/`http2` server, which Fastify creates before `listen()`. */
  readonly server: ServerLike
  /** Runs `preClose` hooks, closes the server, runs `onClose` hooks. */
  close(): PromiseLike<unknown>
  addHook(...args: never[]): unknown
}

/** Options of `fastifyApp()`: those of `httpServer()` for the drain, and the close's share of the budget. */
export interface FastifyAppOptions extends Omit<HttpServerOptions, 'name' | 'priority' | 'timeout'> {
  /** Component name, unique in its lifecycle. @default DEFAULTS.fastify.name ('fastify') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** The whole budget in ms: the drain, then `app.close()`. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** See `DEFAULTS.fastify.closeTimeout`. @default DEFAULTS.fastify.closeTimeout (2000) */
  readonly closeTimeout?: number
}
