import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { DEFAULTS, Lifecycle, Priority } from '../../src/index.js'
import { worker } from '../../src/workers/index.js'

describe('lifecycle.track() next to worker()', () => {
  it('awaits fire-and-forget work in the WORKERS phase, beside the workers, before RESOURCES', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const order: string[] = []
    lifecycle.onStop('db', () => order.push('db closed'), { priority: Priority.RESOURCES })
    lifecycle.register(
      worker(
        async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          order.push('loop returned')
        },
        { name: 'loop' },
      ),
    )
    await lifecycle.start()
    // What a request handler does: start work and answer without awaiting it.
    const email = lifecycle.track(async () => {
      await sleep(60)
      order.push('email sent')
    })
    const report = await lifecycle.stop()
    await email
    expect(order).toEqual(['loop returned', 'email sent', 'db closed'])
    const workers = report.phases.find((phase) => phase.priority === Priority.WORKERS)
    expect(workers?.hooks.map((hook) => hook.name).sort()).toEqual([DEFAULTS.trackedHookName, 'loop'].sort())
    const tracked = workers?.hooks.find((hook) => hook.name === DEFAULTS.trackedHookName)
    expect(tracked?.details).toMatchObject({ awaited: 1 })
  })

  it('gives a tracked function lifecycle.signal, which aborts when the stop begins (a worker signal waits for its phase)', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let trackedAbortedAt: number | undefined
    let workerAbortedAt: number | undefined
    lifecycle.onStop('http', () => sleep(30), { priority: Priority.INGRESS })
    lifecycle.register(
      worker(
        async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          workerAbortedAt = performance.now()
        },
        { name: 'loop' },
      ),
    )
    await lifecycle.start()
    lifecycle.track(async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve))
      trackedAbortedAt = performance.now()
    })
    await lifecycle.stop()
    expect(trackedAbortedAt).toBeDefined()
    expect(workerAbortedAt).toBeDefined()
    expect((workerAbortedAt ?? 0) - (trackedAbortedAt ?? 0)).toBeGreaterThanOrEqual(25)
  })
})
