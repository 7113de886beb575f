/**
 * `graceful-lifecycle/bun`: drain a `Bun.serve()` server on stop. Typed structurally: no Bun types
 * are needed to compile, and importing it on Node loads nothing of Bun's.
 *
 * @module
 */
import type { Component } from '../core/types.js'
import { fail, whileReading } from '../core/validate.js'
import { type NativeDrain, nativeComponent, resolveNativeOptions } from '../native/component.js'

/** Options of {@link bunServer}. */
export interface BunServerOptions {
  /** Component name, unique in its lifecycle. @default DEFAULTS.http.name ('http') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** The drain's budget in ms; when it runs out, what is left is forced closed (where the runtime can). @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
}

/**
 * What the hook's report `details` hold for `bunServer()`. What the server does not expose is absent,
 * and `degraded` says what the drain cannot do on Bun (docs/runtimes.md).
 */
export interface BunDrainDetails {
  /** The runtime and its version, as `bun 1.4.5`. */
  runtime: string
  /** Requests in flight when the drain began, from `server.pendingRequests`. */
  inFlight?: number
  /** WebSockets open when the drain began, from `server.pendingWebSockets`. */
  webSockets?: number
  /** The hook's signal aborted before every connection had closed: what was left was forced closed (or, where the runtime cannot, left to the process exit). */
  forced: boolean
  /** What the drain cannot do on this runtime, one sentence each (docs/runtimes.md). */
  degraded: string[]
}

/** What `bunServer()` uses of the server `Bun.serve()` returns. */
export interface BunServerLike {
  /**
   * `stop(false)` stops listening, closes idle connections and resolves once the others have
   * answered and closed; `stop(true)` also ends requests in flight and WebSockets (code 1001).
   */
  stop(closeActiveConnections?: boolean): unknown
  readonly pendingRequests?: number
  readonly pendingWebSockets?: number
}

const WHERE = '`bunServer()`'

/**
 * Bun closes its idle connections in native code the moment it stops listening, and its responses
 * during the stop do not say `Connection: close` (measured on Bun 1.4.5; docs/runtimes.md).
 */
const DEGRADED = [
  'idle connections close at once (no idle grace)',
  'no `Connection: close` on responses during the drain',
]

/**
 * A component (default name `http`, priority `Priority.INGRESS`) that drains a `Bun.serve()` server,
 * with the contract of `httpServer()`: readiness (`health()`) fails first, when the stop begins; this
 * hook then stops listening (`server.stop()`), idle connections close, requests in flight are
 * answered, and the hook ends once every connection has closed. When its signal aborts (its
 * `timeout` or the stop's deadline), `server.stop(true)` ends what is left. The report's `details`
 * hold {@link BunDrainDetails}. In the fetch handler, answer readiness with `probes.fetchReadiness()`.
 *
 * @example
 * ```ts
 * const probes = health()
 * const server = Bun.serve({
 *   port: 3000,
 *   fetch: (request) =>
 *     new URL(request.url).pathname === '/readyz' ? probes.fetchReadiness() : app(request),
 * })
 * lifecycle.register(probes)
 * lifecycle.register(drainDelay(5_000))
 * lifecycle.register(bunServer(server, { timeout: 10_000 }))
 * lifecycle.handleSignals()
 * ```
 */
export function bunServer(server: BunServerLike, options?: BunServerOptions): Component {
  if (
    !whileReading(
      WHERE,
      'server',
      () => server !== null && typeof server === 'object' && typeof server.stop === 'function',
    )
  ) {
    fail(WHERE, 'server', 'the server `Bun.serve()` returns', server)
  }
  const resolved = resolveNativeOptions(WHERE, options)
  const drain: NativeDrain = {
    graceful: () => Promise.resolve(server.stop(false)),
    force: () => {
      void Promise.resolve(server.stop(true)).catch(() => {})
      return true
    },
    counts: () => ({
      ...(typeof server.pendingRequests === 'number' ? { inFlight: server.pendingRequests } : {}),
      ...(typeof server.pendingWebSockets === 'number' ? { webSockets: server.pendingWebSockets } : {}),
    }),
    degraded: DEGRADED,
  }
  return nativeComponent(WHERE, server, resolved, drain)
}
