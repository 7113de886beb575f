import { describe, expect, it } from 'vitest'
import { detectionTime, drainDelay } from '../../src/health/index.js'
import { DEFAULTS, Lifecycle, Priority, ShutdownError } from '../../src/index.js'

describe('drainDelay(ms)', () => {
  it('is a component at Priority.DRAIN whose budget is the delay plus a slack', () => {
    expect(drainDelay(5_000)).toMatchObject({
      name: DEFAULTS.health.drainDelayName,
      priority: Priority.DRAIN,
      timeout: 5_000 + DEFAULTS.health.drainDelaySlack,
    })
    expect(drainDelay(10, { name: 'lb', timeout: 20 })).toMatchObject({ name: 'lb', timeout: 20 })
  })

  it('waits its delay before the INGRESS phase begins', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(drainDelay(200))
    let ingressAt = 0
    const start = performance.now()
    lifecycle.onStop(
      'server',
      () => {
        ingressAt = performance.now() - start
      },
      { priority: Priority.INGRESS },
    )
    const report = await lifecycle.stop()
    expect(ingressAt).toBeGreaterThanOrEqual(195)
    expect(report.phases[0]?.hooks[0]?.details?.waitedMs).toBeGreaterThanOrEqual(195)
  })

  it('is cut short when the whole stop runs out of time', async () => {
    const lifecycle = new Lifecycle({ logger: false, timeout: 100, finalGrace: 10 })
    lifecycle.register(drainDelay(5_000, { timeout: 5_000 }))
    const start = performance.now()
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect(performance.now() - start).toBeLessThan(400)
    expect(error).toBeInstanceOf(ShutdownError)
  })

  it('throws a TypeError for a bad delay or option', () => {
    expect(() => drainDelay(-1)).toThrow(
      /^Expected `ms` of `drainDelay\(\)` to be a number of milliseconds from 0 to 2147483647/,
    )
    expect(() => drainDelay(10, { delay: 1 } as never)).toThrow(/^Unknown option `delay`/)
  })
})

describe('drainDelay(probe)', () => {
  it('computes the delay from the probe: (period × threshold + probe timeout) s + margin', async () => {
    const component = drainDelay({ periodSeconds: 2, failureThreshold: 3 })
    const ms = (2 * 3 + DEFAULTS.health.probeTimeoutSeconds) * 1000 + DEFAULTS.health.drainDelayMargin
    expect(component.timeout).toBe(ms + DEFAULTS.health.drainDelaySlack)
    expect(detectionTime({ periodSeconds: 0.2, failureThreshold: 1, timeoutSeconds: 0.1 })).toBe(300)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      drainDelay({ periodSeconds: 0.05, failureThreshold: 2, timeoutSeconds: 0.05 }, { margin: 50 }),
    )
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ delayMs: 200 })
    expect(report.phases[0]?.hooks[0]?.details?.waitedMs).toBeGreaterThanOrEqual(195)
  })

  it('checkBudgets() reports a delay shorter than the probe can detect', () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(drainDelay(1_000, { probe: { periodSeconds: 2, failureThreshold: 1 } }))
    expect(lifecycle.checkBudgets()).toEqual([
      expect.stringMatching(
        /^component `drain-delay`: its drain delay \(1000 ms\) is shorter than the readiness probe's detection time .*= 3000 ms\)/,
      ),
    ])
    const fine = new Lifecycle({ logger: false })
    fine.register(drainDelay(3_000, { probe: { periodSeconds: 2, failureThreshold: 1 } }))
    fine.register(drainDelay({ periodSeconds: 2, failureThreshold: 1 }, { name: 'computed' }))
    expect(fine.checkBudgets()).toEqual([])
  })

  it('checkBudgets() reports a delay that does not fit the stop timeout or gracePeriod', () => {
    const lifecycle = new Lifecycle({ logger: false, timeout: 4_000, gracePeriod: 6_000 })
    lifecycle.register(drainDelay({ periodSeconds: 5, failureThreshold: 1 }))
    const sentences = lifecycle.checkBudgets()
    expect(sentences).toContainEqual(
      expect.stringMatching(/drain delay \(7000 ms\) reaches the whole stop's `timeout` \(4000 ms\)/),
    )
    expect(sentences).toContainEqual(
      expect.stringMatching(/drain delay \(7000 ms\) reaches `gracePeriod` \(6000 ms\)/),
    )
  })

  it('throws a TypeError for a bad probe', () => {
    expect(() => drainDelay({ periodSeconds: 0, failureThreshold: 1 })).toThrow(
      /^Expected `probe.periodSeconds` of `drainDelay\(\)` to be a positive number of seconds up to 2147483.647 \(about 24.8 days, the longest a timer can wait\), got `0`/,
    )
    expect(() => drainDelay({ periodSeconds: 1, failureThreshold: 1.5 })).toThrow(
      /^Expected `probe.failureThreshold` of `drainDelay\(\)` to be a positive integer/,
    )
    expect(() => drainDelay({ periodSeconds: 1, failureThreshold: 1, timeoutSeconds: -1 })).toThrow(
      /probe.timeoutSeconds/,
    )
    expect(() => drainDelay({ periodSeconds: 1, failureThreshold: 1, period: 2 } as never)).toThrow(
      /^Unknown option `period` in `probe`/,
    )
    expect(() => drainDelay(1_000, { margin: 5 })).toThrow(/^Unknown option `margin`/)
    expect(() => drainDelay({ periodSeconds: 1, failureThreshold: 1 }, { margin: -5 })).toThrow(/`margin`/)
    expect(() => drainDelay(null as never)).toThrow(/^Expected `ms` of `drainDelay\(\)`/)
    expect(() => detectionTime({} as never)).toThrow(/^Expected `probe.periodSeconds` of `detectionTime\(\)`/)
  })
})
