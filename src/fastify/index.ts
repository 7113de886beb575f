import { DEFAULTS } from '../core/defaults.js'
import type { Component } from '../core/types.js'
import { fail, whileReading } from '../core/validate.js'
import { drainThenClose, frameworkOptions } from '../frameworks/drain-then-close.js'
import { httpServer } from '../http/index.js'
import type { FastifyAppLike, FastifyAppOptions } from './types.js'

export type { FastifyAppLike, FastifyAppOptions } from './types.js'

const WHERE = '`fastifyApp()`'
const KEYS = [
  'name',
  'priority',
  'timeout',
  'closeTimeout',
  'idleGrace',
  'requestAbortLead',
  'webSocketServer',
  'webSocketReason',
]

/**
 * A component (default name `fastify`, priority `Priority.INGRESS`) that stops a Fastify app.
 * Call it **before `app.listen()`** (Fastify creates `app.server` at `Fastify()`).
 *
 * On stop: `app.server` is drained through `httpServer()`'s stop hook (the listener closes,
 * requests in flight and any that arrive on an open keep-alive connection are answered with
 * `Connection: close`, idle connections close after `idleGrace`); then `app.close()` runs Fastify's
 * `preClose` and `onClose` hooks. `app.close()` alone waits for keep-alive connections that were
 * busy when it began until the server's `keepAliveTimeout` (72 s by default) and answers requests on
 * open connections with 503. The drain gets the budget minus `closeTimeout`; the report's `details`
 * hold the drain's counts plus `drainMs` and `closeMs`.
 *
 * @example
 * ```ts
 * const app = Fastify()
 * app.register(dbPlugin) // its onClose hook closes the pool, after the last response
 * lifecycle.register(fastifyApp(app, { timeout: 10_000 }))
 * await app.listen({ port: 3000 })
 * ```
 */
export function fastifyApp(app: FastifyAppLike, options?: FastifyAppOptions): Component {
  // `server` is read once: a getter could answer differently the second time.
  const server = whileReading(WHERE, 'app', () => serverOf(app))
  if (server === undefined) {
    fail(WHERE, 'app', 'a Fastify instance (with `server`, `close()` and `addHook()`)', app)
  }
  const { name, http, budgets } = frameworkOptions(WHERE, options, KEYS, DEFAULTS.fastify)
  // httpServer() checks the server and every other option (and refuses unknown keys).
  const drain = httpServer(server, { ...http, name })
  return drainThenClose({
    name,
    ...budgets,
    drain,
    close: () => app.close(),
  })
}

/** The server of a Fastify instance (`server`, `close()`, `addHook()`), each field read once. */
function serverOf(value: unknown): FastifyAppLike['server'] | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  const app = value as Record<string, unknown>
  if (typeof app.close !== 'function' || typeof app.addHook !== 'function') return undefined
  const server = app.server
  return server !== null && typeof server === 'object' ? (server as FastifyAppLike['server']) : undefined
}
