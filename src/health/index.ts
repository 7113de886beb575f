/**
 * `graceful-lifecycle/health`: readiness that fails the moment a stop begins, liveness that holds
 * until it ends, and `drainDelay(ms)` to keep serving while load balancers notice.
 *
 * @module
 */
export { type DrainDelayOptions, drainDelay } from './drain-delay.js'
export { type Health, type HealthHandler, health, type ResponseLike } from './handlers.js'
export type { HealthLifecycleLike, HealthStatus } from './status.js'
