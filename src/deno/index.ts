/**
 * `graceful-lifecycle/deno`: drain a `Deno.serve()` server on stop. Typed structurally: no Deno types
 * are needed to compile, and importing it on Node loads nothing of Deno's.
 *
 * @module
 */
import type { Component } from '../core/types.js'
import { fail, whileReading } from '../core/validate.js'
import { type NativeDrain, nativeComponent, resolveNativeOptions } from '../native/component.js'

/** Options of {@link denoServer}. */
export interface DenoServerOptions {
  /** Component name, unique in its lifecycle. @default DEFAULTS.http.name ('http') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** The drain's budget in ms; when it runs out, what is left is forced closed (where the runtime can). @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
}

/**
 * What the hook's report `details` hold for `denoServer()`. What the server does not expose is absent,
 * and `degraded` says what the drain cannot do on Deno (docs/runtimes.md).
 */
export interface DenoDrainDetails {
  /** The runtime and its version, as `deno 2.9.6`. */
  runtime: string
  /** Requests in flight when the drain began (Deno does not expose it). */
  inFlight?: number
  /** WebSockets open when the drain began. */
  webSockets?: number
  /** The hook's signal aborted before every connection had closed: what was left was forced closed (or, where the runtime cannot, left to the process exit). */
  forced: boolean
  /** What the drain cannot do on this runtime, one sentence each (docs/runtimes.md). */
  degraded: string[]
}

/** What `denoServer()` uses of the `Deno.HttpServer` that `Deno.serve()` returns. */
export interface DenoServerLike {
  /** Stops listening, closes idle connections, resolves once the requests in flight have been answered. */
  shutdown(): Promise<void>
  /** Resolves once the server has finished. */
  readonly finished: Promise<void>
}

const WHERE = '`denoServer()`'

/**
 * Measured on Deno 2.9.6 (docs/runtimes.md). Aborting the `signal` given to `Deno.serve()` would
 * close every connection, but once `shutdown()` has begun it throws `BadResource` from an abort
 * listener, an uncaught error: so the drain never does, and the process exit ends what is left.
 */
const DEGRADED = [
  'idle connections close at once (no idle grace)',
  'no `Connection: close` on responses during the drain',
  'no forced close at the hook’s abort (the process exit ends what is left)',
  'requests in flight not counted',
]

/**
 * A component (default name `http`, priority `Priority.INGRESS`) that drains a `Deno.serve()`
 * server, with the contract of `httpServer()`: readiness (`health()`) fails first, when the stop
 * begins; this hook then calls `server.shutdown()`: the listener closes, idle connections close,
 * requests in flight are answered, and the hook ends once the server has `finished`. When its
 * signal aborts (its `timeout` or the stop's deadline) the hook stops waiting; Deno has no way to
 * close the connections left, so with `handleSignals()` the process exit does. The report's
 * `details` hold {@link DenoDrainDetails}. In the handler, answer readiness with `probes.fetchReadiness()`.
 *
 * @example
 * ```ts
 * const probes = health()
 * const server = Deno.serve({ port: 3000 }, (request) =>
 *   new URL(request.url).pathname === '/readyz' ? probes.fetchReadiness() : app(request),
 * )
 * lifecycle.register(probes)
 * lifecycle.register(drainDelay(5_000))
 * lifecycle.register(denoServer(server, { timeout: 10_000 }))
 * lifecycle.handleSignals()
 * ```
 */
export function denoServer(server: DenoServerLike, options?: DenoServerOptions): Component {
  if (
    !whileReading(
      WHERE,
      'server',
      () => server !== null && typeof server === 'object' && typeof server.shutdown === 'function',
    )
  ) {
    fail(WHERE, 'server', 'the server `Deno.serve()` returns', server)
  }
  const resolved = resolveNativeOptions(WHERE, options)
  const drain: NativeDrain = {
    graceful: async () => {
      await server.shutdown()
      await server.finished
    },
    force: () => false,
    counts: () => ({}),
    degraded: DEGRADED,
  }
  return nativeComponent(WHERE, server, resolved, drain)
}
