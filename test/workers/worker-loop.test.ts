import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { Lifecycle, Priority, StoppingError } from '../../src/index.js'
import { worker } from '../../src/workers/index.js'

describe('worker()', () => {
  it('starts without waiting for the loop, and its stop aborts the signal and waits for the loop to return', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const events: string[] = []
    let seen: unknown
    lifecycle.register(
      worker(
        async ({ signal }) => {
          events.push('loop started')
          while (!signal.aborted) await sleep(5)
          seen = signal.reason
          await sleep(50) // cleanup after the abort must still be awaited
          events.push('loop returned')
        },
        { name: 'ticker' },
      ),
    )
    await lifecycle.start()
    events.push('start resolved')
    const report = await lifecycle.stop()
    events.push('stop resolved')
    expect(events).toEqual(['loop started', 'start resolved', 'loop returned', 'stop resolved'])
    expect(seen).toBeInstanceOf(StoppingError)
    const hook = report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({
      name: 'ticker',
      priority: Priority.WORKERS,
      status: 'ok',
      details: { exit: 'stopped' },
    })
    expect(hook?.durationMs).toBeGreaterThanOrEqual(45)
  })

  it('counts a rejection with the signal reason (or an AbortError) after the abort as a clean exit', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(({ signal }) => sleep(60_000, undefined, { signal }), { name: 'throws-reason' }),
    )
    lifecycle.register(
      worker(
        async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          signal.throwIfAborted()
        },
        { name: 'rethrows' },
      ),
    )
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks.map((hook) => hook.status)).toEqual(['ok', 'ok'])
  })

  it('stops in the WORKERS phase: after INGRESS, before RESOURCES', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const order: string[] = []
    lifecycle.onStop('db', () => order.push('db'), { priority: Priority.RESOURCES })
    lifecycle.register(
      worker(
        async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          order.push('loop')
        },
        { name: 'loop' },
      ),
    )
    lifecycle.onStop('http', () => order.push('http'), { priority: Priority.INGRESS })
    await lifecycle.start()
    await lifecycle.stop()
    expect(order).toEqual(['http', 'loop', 'db'])
  })

  it('keeps its loop running while earlier phases stop: only its own stop hook aborts it', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let abortedDuringIngress: boolean | undefined
    let loopSignal: AbortSignal | undefined
    lifecycle.register(
      worker(
        async ({ signal }) => {
          loopSignal = signal
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
        },
        { name: 'loop' },
      ),
    )
    lifecycle.onStop(
      'http',
      async () => {
        await sleep(20)
        abortedDuringIngress = loopSignal?.aborted
      },
      { priority: Priority.INGRESS },
    )
    await lifecycle.start()
    await lifecycle.stop()
    expect(abortedDuringIngress).toBe(false)
    expect(loopSignal?.aborted).toBe(true)
  })

  it('reports a loop that returned on its own before the stop', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(worker(async () => {}, { name: 'one-shot' }))
    await lifecycle.start()
    // The loop has returned, and every callback its return queued has run.
    await new Promise((resolve) => setImmediate(resolve))
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]).toMatchObject({
      status: 'ok',
      details: { exit: 'returned before the stop' },
    })
  })

  it('honours priority and timeout options', () => {
    const component = worker(async () => {}, { name: 'x', priority: Priority.INGRESS + 5, timeout: 1234 })
    expect(component).toMatchObject({ name: 'x', priority: 205, timeout: 1234 })
    expect(Object.keys(component).sort()).toEqual(['attach', 'name', 'priority', 'start', 'stop', 'timeout'])
  })
})
