import { DEFAULTS } from '../core/defaults.js'
import { Priority } from '../core/priority.js'
import type { BudgetContext, Component } from '../core/types.js'
import { checkDuration, checkKeys, checkName, readOptions } from '../core/validate.js'
import { detection, type ProbeTiming, readProbe } from './probe.js'

const OPTION_KEYS = ['name', 'timeout', 'probe', 'margin']

/** Options of {@link drainDelay}. */
export interface DrainDelayOptions {
  /** @default DEFAULTS.health.drainDelayName ('drain-delay') */
  readonly name?: string
  /** The hook's budget, in ms. @default the delay + DEFAULTS.health.drainDelaySlack */
  readonly timeout?: number
  /**
   * With a delay in ms: the readiness probe it must outlast. `lifecycle.checkBudgets()` then
   * reports a delay shorter than the probe's {@link detectionTime}.
   */
  readonly probe?: ProbeTiming
  /**
   * With a probe instead of a delay: what is added to its detection time, in ms.
   * @default DEFAULTS.health.drainDelayMargin (1000)
   */
  readonly margin?: number
}

const WHERE = '`drainDelay()`'

/**
 * A component at `Priority.DRAIN` whose stop hook waits while the process keeps serving:
 * readiness already answers 503, and load balancers (Kubernetes endpoints, kube-proxy, ingress
 * controllers, HAProxy) need that long to stop routing here. Only then does the `INGRESS` phase
 * close the listener. The hook's signal aborting (the whole stop's deadline, a forced stop) cuts
 * it short. The report's `details` say how long it waited (`waitedMs`) and for how long it was set
 * (`delayMs`).
 *
 * Give it the delay in ms, or the readiness probe's timing and let it compute the delay:
 * `(periodSeconds × failureThreshold + timeoutSeconds) × 1000 + margin`. A balancer that routes
 * here after the listener has closed loses requests; the rule is that the delay covers its
 * detection time. `lifecycle.checkBudgets()` reports a delay that cannot cover the probe (when it
 * is known), that reaches the whole stop's `timeout`, or that leaves nothing of `gracePeriod`.
 *
 * @example
 * ```ts
 * lifecycle.register(drainDelay(5_000))
 * // readinessProbe: { periodSeconds: 2, failureThreshold: 1 }: waits (2 × 1 + 1) s + 1 s = 4 s
 * lifecycle.register(drainDelay({ periodSeconds: 2, failureThreshold: 1 }))
 * lifecycle.register(httpServer(server, { timeout: 10_000 }))
 * ```
 */
export function drainDelay(delay: number | ProbeTiming, options?: DrainDelayOptions): Component {
  const fromProbe = typeof delay === 'object' && delay !== null
  // The probe and the options are read once each, into copies: what is checked is what is used.
  const delayProbe = fromProbe ? readProbe(WHERE, 'probe', delay) : undefined
  if (!fromProbe) checkDuration(WHERE, 'ms', delay)
  let optionsProbe: ProbeTiming | undefined
  if (options !== undefined) {
    options = readOptions(WHERE, 'options', options, OPTION_KEYS)
    checkKeys(WHERE, 'options', options, OPTION_KEYS)
    if (options.name !== undefined) checkName(WHERE, 'name', options.name)
    if (options.timeout !== undefined) checkDuration(WHERE, 'timeout', options.timeout)
    if (options.probe !== undefined) {
      if (fromProbe) checkKeys(WHERE, 'options', options, ['name', 'timeout', 'margin'])
      optionsProbe = readProbe(WHERE, 'probe', options.probe)
    }
    if (options.margin !== undefined) {
      if (!fromProbe) checkKeys(WHERE, 'options', options, ['name', 'timeout', 'probe'])
      checkDuration(WHERE, 'margin', options.margin)
    }
  }
  const probe = delayProbe ?? optionsProbe
  const ms =
    delayProbe !== undefined
      ? detection(delayProbe) + (options?.margin ?? DEFAULTS.health.drainDelayMargin)
      : (delay as number)
  const name = options?.name ?? DEFAULTS.health.drainDelayName
  const component: Component = {
    name,
    priority: Priority.DRAIN,
    timeout: options?.timeout ?? ms + DEFAULTS.health.drainDelaySlack,
    stop: ({ signal, details }) =>
      new Promise<void>((resolve) => {
        const started = performance.now()
        details.delayMs = ms
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
  const checkBudget = ({ timeout, gracePeriod, name: registered }: BudgetContext): string[] => {
    const sentences: string[] = []
    const at = `component \`${registered ?? name}\``
    if (probe !== undefined && ms < detection(probe)) {
      sentences.push(
        `${at}: its drain delay (${ms} ms) is shorter than the readiness probe's detection time ` +
          `(${describe(probe)} = ${detection(probe)} ms): the balancer may still route here after the listener closes`,
      )
    }
    if (ms >= timeout) {
      sentences.push(
        `${at}: its drain delay (${ms} ms) reaches the whole stop's \`timeout\` (${timeout} ms): nothing is left to drain in`,
      )
    }
    if (gracePeriod !== undefined && ms >= gracePeriod) {
      sentences.push(
        `${at}: its drain delay (${ms} ms) reaches \`gracePeriod\` (${gracePeriod} ms): the platform kills the process before the drain`,
      )
    }
    return sentences
  }
  return { ...component, checkBudget }
}

function describe(probe: ProbeTiming): string {
  const timeout = probe.timeoutSeconds ?? DEFAULTS.health.probeTimeoutSeconds
  return `(periodSeconds ${probe.periodSeconds} × failureThreshold ${probe.failureThreshold} + timeoutSeconds ${timeout}) s`
}
