import { checkObject, fail } from '../core/validate.js'
import { type HealthLifecycleLike, type HealthStatus, statusOf } from './status.js'

/** What the handlers use of a response: `node:http`'s `ServerResponse`, Express's `res`, an HTTP/2 compatibility response. */
export interface ResponseLike {
  statusCode: number
  setHeader(name: string, value: string | number): unknown
  end(body?: string): unknown
}

/** A plain `(req, res)` handler. */
export type HealthHandler = (req: unknown, res: ResponseLike) => void

/** What {@link health} returns. */
export interface Health {
  /** 200 while the lifecycle runs; 503 from the moment a stop begins (and before the start has finished). */
  readonly readiness: HealthHandler
  /** 200 until the stop has ended, 503 after. */
  readonly liveness: HealthHandler
  /** The status, for frameworks that answer in their own way (Koa's `ctx`, Fastify's `reply`). */
  status(): HealthStatus
}

function answer(res: ResponseLike, ok: boolean, status: HealthStatus): void {
  res.statusCode = ok ? 200 : 503
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('cache-control', 'no-store')
  res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', state: status.state }))
}

/**
 * Readiness and liveness handlers for a lifecycle. Readiness turns 503 the moment a stop begins
 * (`lifecycle.signal` aborts), so a load balancer or Kubernetes stops routing here while the
 * drain goes on; liveness stays 200 until the stop has ended, so nothing restarts a process that
 * is draining. Bodies are JSON: `{"status":"ok","state":"running"}`.
 *
 * @example
 * ```ts
 * const { readiness, liveness } = health(lifecycle)
 * const server = http.createServer((req, res) => {
 *   if (req.url === '/readyz') return readiness(req, res)
 *   if (req.url === '/livez') return liveness(req, res)
 *   app(req, res)
 * })
 * // Koa: ctx.status = health(lifecycle).status().ready ? 200 : 503
 * ```
 */
export function health(lifecycle: HealthLifecycleLike): Health {
  checkObject('`health()`', 'lifecycle', lifecycle)
  if (typeof lifecycle.state !== 'string' || !(lifecycle.signal instanceof AbortSignal)) {
    fail('`health()`', 'lifecycle', 'a `Lifecycle`', lifecycle)
  }
  return {
    readiness: (_req, res) => {
      const status = statusOf(lifecycle)
      answer(res, status.ready, status)
    },
    liveness: (_req, res) => {
      const status = statusOf(lifecycle)
      answer(res, status.live, status)
    },
    status: () => statusOf(lifecycle),
  }
}
