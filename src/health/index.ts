/**
 * `graceful-lifecycle/health`: readiness that fails the moment a stop begins (and while a
 * dependency check fails), liveness that holds until it ends, and `drainDelay()` to keep serving
 * while load balancers notice — given in ms or computed from the readiness probe's timing.
 *
 * @module
 */
export type {
  CheckContext,
  CheckDefinition,
  CheckError,
  CheckFunction,
  CheckResult,
  ExposeLevel,
} from './checks.js'
export { type DrainDelayOptions, drainDelay } from './drain-delay.js'
export {
  type Health,
  type HealthHandler,
  type HealthOptions,
  health,
  type ResponseLike,
} from './handlers.js'
export { detectionTime, type ProbeTiming } from './probe.js'
export type { HealthStatus } from './status.js'
