/**
 * Defaults of `graceful-lifecycle/health`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * drainDelay(5_000, { timeout: 5_000 + HEALTH_DEFAULTS.drainDelaySlack })
 * ```
 */
export const HEALTH_DEFAULTS = {
  /** Component name of `drainDelay()`. */
  drainDelayName: 'drain-delay',
  /** What `drainDelay(ms)`'s budget adds to `ms` (timers fire late under load), in ms. */
  drainDelaySlack: 500,
  /**
   * How long one probe may take when the probe's `timeoutSeconds` is not given, in seconds:
   * Kubernetes' default `timeoutSeconds`.
   */
  probeTimeoutSeconds: 1,
  /**
   * What `drainDelay({ periodSeconds, failureThreshold })` adds to the detection time, in ms: the
   * balancer's own update after it has seen the failures (endpoints, kube-proxy, an ingress reload).
   */
  drainDelayMargin: 1_000,
  /** How often each dependency check of `health(lifecycle, { checks })` runs at most, in ms. */
  checkInterval: 2_000,
  /** How long one dependency check may take before it counts as failed, in ms. */
  checkTimeout: 1_000,
} as const
