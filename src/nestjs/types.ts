import type { HttpServerOptions } from '../http/types.js'

/**
 * What `nestjsApp()` uses of a NestJS application (`NestFactory.create()`) or application context
 * (`NestFactory.createApplicationContext()`, which has no HTTP server).
 */
export interface NestjsAppLike {
  /** Runs Nest's `onModuleDestroy`, `beforeApplicationShutdown`, closes the server, `onApplicationShutdown`. */
  close(signal?: string): Promise<void>
  /** The underlying `node:http` server (Express or Fastify adapter); absent on an application context. */
  getHttpServer?(): unknown
}

/** Options of `nestjsApp()`: those of `httpServer()` for the drain, and the close's share of the budget. */
export interface NestjsAppOptions extends Omit<HttpServerOptions, 'name' | 'priority' | 'timeout'> {
  /** Component name, unique in its lifecycle. @default DEFAULTS.nestjs.name ('nestjs') */
  readonly name?: string
  /**
   * When the app stops. Lower it (`Priority.WORKERS - 1`) to keep Nest's providers up while the
   * lifecycle's own workers that use them finish; the drain then waits for that phase too.
   * @default Priority.INGRESS
   */
  readonly priority?: number
  /** The whole budget in ms: the drain, then `app.close()`. @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
  /** See `DEFAULTS.nestjs.closeTimeout`. @default DEFAULTS.nestjs.closeTimeout (5000) */
  readonly closeTimeout?: number
}
