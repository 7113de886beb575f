import { DEFAULTS } from '../core/defaults.js'
import { checkKeys, fail, MAX_DELAY, MAX_DELAY_WHY, readOptions } from '../core/validate.js'

const PROBE_KEYS = ['periodSeconds', 'failureThreshold', 'timeoutSeconds']

/**
 * How a balancer probes readiness, in Kubernetes' words (HAProxy: `inter` = period, `fall` =
 * failure threshold, `timeout check` = timeout). Fractions of a second are allowed.
 */
export interface ProbeTiming {
  /** Seconds between two probes (Kubernetes `periodSeconds`, HAProxy `inter`). */
  readonly periodSeconds: number
  /** Failed probes in a row before routing stops (Kubernetes `failureThreshold`, HAProxy `fall`). */
  readonly failureThreshold: number
  /** How long one probe may take, in seconds. @default DEFAULTS.health.probeTimeoutSeconds (1) */
  readonly timeoutSeconds?: number
}

/**
 * The longest a balancer can take to see a failing readiness probe, in ms:
 * `(periodSeconds × failureThreshold + timeoutSeconds) × 1000`. A probe may have been sent just
 * before readiness turned 503; it takes `failureThreshold` more periods, the last one answered
 * within its timeout, before the balancer stops routing here.
 *
 * @example
 * ```ts
 * detectionTime({ periodSeconds: 2, failureThreshold: 1 }) // 3000
 * ```
 */
export function detectionTime(probe: ProbeTiming): number {
  return detection(readProbe('`detectionTime()`', 'probe', probe))
}

/** @internal */
export function detection(probe: ProbeTiming): number {
  const timeout = probe.timeoutSeconds ?? DEFAULTS.health.probeTimeoutSeconds
  return Math.round((probe.periodSeconds * probe.failureThreshold + timeout) * 1000)
}

/** @internal A probe's timing, checked, each field read once: the copy to use. */
export function readProbe(where: string, field: string, probe: unknown): ProbeTiming {
  const p = readOptions(where, field, probe, PROBE_KEYS) as Record<string, unknown>
  checkKeys(where, field, p, PROBE_KEYS)
  const positive = (key: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_DELAY / 1000) {
      fail(
        where,
        `${field}.${key}`,
        `a positive number of seconds up to ${MAX_DELAY / 1000} ${MAX_DELAY_WHY}`,
        value,
      )
    }
  }
  positive('periodSeconds', p.periodSeconds)
  if (
    typeof p.failureThreshold !== 'number' ||
    !Number.isInteger(p.failureThreshold) ||
    p.failureThreshold < 1
  ) {
    fail(where, `${field}.failureThreshold`, 'a positive integer', p.failureThreshold)
  }
  if (p.timeoutSeconds !== undefined) positive('timeoutSeconds', p.timeoutSeconds)
  return p as unknown as ProbeTiming
}
