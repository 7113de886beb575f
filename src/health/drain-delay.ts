import { Priority } from '../core/priority.js'
import type { Component } from '../core/types.js'
import { checkDuration, checkKeys, checkName, checkObject } from '../core/validate.js'
import { HEALTH_DEFAULTS } from './defaults.js'

/** Options of {@link drainDelay}. */
export interface DrainDelayOptions {
  /** @default DEFAULTS.health.drainDelayName ('drain-delay') */
  readonly name?: string
  /** The hook's budget, in ms. @default ms + DEFAULTS.health.drainDelaySlack */
  readonly timeout?: number
}

/**
 * A component at `Priority.DRAIN` whose stop hook waits `ms` while the process keeps serving:
 * readiness already answers 503, and load balancers (Kubernetes endpoints, kube-proxy, ingress
 * controllers) need that long to stop routing here. Only then does the `INGRESS` phase close the
 * listener. The hook's signal aborting (the whole stop's deadline, a forced stop) cuts it short.
 * The report's `details.waitedMs` says how long it waited.
 *
 * @example
 * ```ts
 * lifecycle.register(drainDelay(5_000))
 * lifecycle.register(httpServer(server, { timeout: 10_000 }))
 * ```
 */
export function drainDelay(ms: number, options?: DrainDelayOptions): Component {
  checkDuration('`drainDelay()`', 'ms', ms)
  if (options !== undefined) {
    checkObject('`drainDelay()`', 'options', options)
    checkKeys('`drainDelay()`', 'options', options, ['name', 'timeout'])
    if (options.name !== undefined) checkName('`drainDelay()`', 'name', options.name)
    if (options.timeout !== undefined) checkDuration('`drainDelay()`', 'timeout', options.timeout)
  }
  return {
    name: options?.name ?? HEALTH_DEFAULTS.drainDelayName,
    priority: Priority.DRAIN,
    timeout: options?.timeout ?? ms + HEALTH_DEFAULTS.drainDelaySlack,
    stop: ({ signal, details }) =>
      new Promise<void>((resolve) => {
        const started = performance.now()
        const done = (): void => {
          clearTimeout(timer)
          signal.removeEventListener('abort', done)
          details.waitedMs = Math.round(performance.now() - started)
          resolve()
        }
        const timer = setTimeout(done, ms)
        if (signal.aborted) done()
        else signal.addEventListener('abort', done, { once: true })
      }),
  }
}
