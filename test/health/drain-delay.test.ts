import { describe, expect, it } from 'vitest'
import { drainDelay } from '../../src/health/index.js'
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
      /^Expected `ms` of `drainDelay\(\)` to be a non-negative finite number/,
    )
    expect(() => drainDelay(10, { delay: 1 } as never)).toThrow(/^Unknown option `delay`/)
  })
})
