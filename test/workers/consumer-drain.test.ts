import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it, vi } from 'vitest'
import { Lifecycle, ShutdownError } from '../../src/index.js'
import { consumer } from '../../src/workers/index.js'
import { deferred } from '../core/helpers.js'
import { MemoryQueue } from './memory-queue.js'

describe('consumer() on stop', () => {
  it('lets the handlers in flight finish and hands back every item it had not started (push)', async () => {
    const queue = new MemoryQueue(200)
    const handled: number[] = []
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        queue.push(),
        async (item) => {
          await sleep(15)
          handled.push(item)
        },
        { name: 'jobs', concurrency: 5, highWaterMark: 20 },
      ),
    )
    await lifecycle.start()
    // Some handled, five in flight (each one done is replaced before a timer of ours runs).
    while (handled.length < 5) await sleep(1)
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    expect(details).toMatchObject({ drained: 5, abandoned: 0, failed: 0, inFlight: 0, buffered: 0 })
    expect(details?.processed).toBe(handled.length)
    expect(details?.handedBack).toBe(queue.requeued.length)
    expect(queue.requeued.length).toBeGreaterThan(0)
    // Everything is accounted for exactly once: handled, or back in the queue.
    expect([...handled, ...queue.items].sort((a, b) => a - b)).toEqual([...Array(200).keys()])
    expect(queue.acked.sort((a, b) => a - b)).toEqual(handled.sort((a, b) => a - b))
  })

  it('stops pulling, finishes what it pulled, and leaves the rest in the source (pull)', async () => {
    const queue = new MemoryQueue(200)
    const handled: number[] = []
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        queue.pull(),
        async (item) => {
          await sleep(10)
          handled.push(item)
        },
        { name: 'jobs', concurrency: 3 },
      ),
    )
    await lifecycle.start()
    while (handled.length < 3) await sleep(1)
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    expect(details).toMatchObject({ drained: 3, abandoned: 0, handedBack: 0, processed: handled.length })
    expect([...handled, ...queue.items].sort((a, b) => a - b)).toEqual([...Array(200).keys()])
  })

  it('hands back an item that next() returned after the stop began', async () => {
    const requeued: string[] = []
    let calls = 0
    let handled = 0
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer<string>(
        {
          // Ignores its signal: answers 30 ms later, whatever happened meanwhile.
          next: async () => {
            await sleep(30)
            return `item-${++calls}`
          },
          requeue: (items) => void requeued.push(...items),
        },
        () => void handled++,
        { name: 'jobs' },
      ),
    )
    await lifecycle.start()
    // One item handled: the next next() is pending when the stop begins.
    while (handled < 1) await sleep(1)
    const report = await lifecycle.stop()
    expect(requeued).toEqual([`item-${calls}`])
    expect(calls).toBe(2)
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ handedBack: 1, processed: calls - 1 })
  })

  it('hands items pushed after the stop began straight back', async () => {
    const requeued: number[] = []
    const jobs = consumer<number>({ requeue: (items) => void requeued.push(...items) }, () => sleep(30), {
      name: 'jobs',
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(jobs)
    await lifecycle.start()
    jobs.push(1)
    const stopping = lifecycle.stop()
    expect(jobs.accepting).toBe(false)
    expect(jobs.push(2)).toBe(false)
    const report = await stopping
    expect(requeued).toEqual([2])
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ drained: 1, handedBack: 1 })
  })

  it('counts handlers still running at the deadline as abandoned and aborts their signal', async () => {
    const queue = new MemoryQueue(50)
    const reasons: unknown[] = []
    let started = 0
    const allStarted = deferred()
    const stopBegan = deferred()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        queue.pull(),
        async (item, { signal }) => {
          if (++started === 4) allStarted.resolve()
          // Items 0 and 1 end once the stop has begun; the others outlive the budget unless cut short.
          if (item < 2) return stopBegan.promise
          await sleep(5_000, undefined, { signal }).catch((error: unknown) => {
            reasons.push(signal.reason)
            throw error
          })
        },
        { name: 'slow', concurrency: 4, timeout: 60 },
      ),
    )
    await lifecycle.start()
    await allStarted.promise
    const stopping = lifecycle.stop()
    stopBegan.resolve()
    const error = await stopping.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook?.status).toBe('timeout')
    expect(hook?.details).toMatchObject({ drained: 2, abandoned: 2 })
    // The abandoned handlers see their abort, and their items are nacked, after the report.
    await vi.waitFor(() => expect(queue.nacked.sort()).toEqual([2, 3]), { timeout: 5_000, interval: 1 })
    expect(reasons).toHaveLength(2)
  })
})

describe('consumer() with a long-polling pull source', () => {
  it('aborts the pending next(signal) on stop and exits cleanly when it rejects with the abort', async () => {
    let pending = 0
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer<number>(
        {
          next: (signal) =>
            new Promise((_resolve, reject) => {
              pending++
              signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
            }),
        },
        () => {},
        { name: 'long-poll' },
      ),
    )
    await lifecycle.start()
    while (pending < 1) await sleep(1)
    const started = performance.now()
    const report = await lifecycle.stop()
    expect(performance.now() - started).toBeLessThan(500)
    expect(pending).toBe(1)
    expect(report.phases[0]?.hooks[0]).toMatchObject({
      status: 'ok',
      details: { processed: 0, handedBack: 0 },
    })
  })
})

describe("consumer({ drain: 'all' }) in process", () => {
  it('handles every item it holds (push) and ignores what the source pushes after the stop began', async () => {
    const queue = new MemoryQueue(300)
    const handled: number[] = []
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        queue.push(),
        async (item) => {
          await sleep(2)
          handled.push(item)
        },
        {
          name: 'jobs',
          concurrency: 4, // Room for all 300: the source never pauses, so nothing of it is pushed after the stop.
          highWaterMark: 300,
          drain: 'all',
        },
      ),
    )
    await lifecycle.start()
    // The source pushed all 300 at the subscription: 4 in flight, the rest held.
    while (handled.length < 1) await sleep(1)
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    expect(details).toMatchObject({ abandoned: 0, failed: 0, inFlight: 0, buffered: 0, handedBack: 0 })
    // It held every item not yet handled at the stop: all of them ran, not just the 4 in flight.
    expect(details?.drained).toBeGreaterThan(4)
    expect(queue.requeued).toEqual([])
    expect(handled.sort((a, b) => a - b)).toEqual([...Array(300).keys()])
  })

  it("is 'in-flight' by default: the same consumer without the option hands its buffer back", async () => {
    const queue = new MemoryQueue(300)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(queue.push(), () => sleep(2), { name: 'jobs', concurrency: 4, highWaterMark: 100 }),
    )
    await lifecycle.start()
    // 100 pushed at the subscription (the high-water mark): 4 in flight, 96 buffered.
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    expect(details?.drained).toBeLessThanOrEqual(4)
    expect(details?.handedBack).toBeGreaterThan(0)
  })

  it('pulls until the source is empty, then stops', async () => {
    const queue = new MemoryQueue(200)
    const lifecycle = new Lifecycle({ logger: false })
    let handled = 0
    lifecycle.register(
      consumer(queue.pull(), () => sleep(1).then(() => void handled++), {
        name: 'jobs',
        concurrency: 3,
        drain: 'all',
      }),
    )
    await lifecycle.start()
    while (handled < 1) await sleep(1)
    const report = await lifecycle.stop()
    expect(queue.items).toEqual([])
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ processed: 200, handedBack: 0, abandoned: 0 })
  })

  it('a pull consumer idle on an empty source stops at once', async () => {
    const queue = new MemoryQueue(0)
    const source = queue.pull()
    let polls = 0
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        {
          ...source,
          next: (signal) => {
            polls++
            return source.next(signal)
          },
        },
        () => {},
        {
          name: 'jobs',
          drain: 'all',
          pollInterval: 60_000,
        },
      ),
    )
    await lifecycle.start()
    // It polled the empty source and waits out its poll interval.
    while (polls < 1) await sleep(1)
    await new Promise((resolve) => setImmediate(resolve))
    const report = await lifecycle.stop()
    // Not the 60 s poll interval: the idle wait ends at the stop.
    expect(report.phases[0]?.hooks[0]?.status).toBe('ok')
    expect(report.durationMs).toBeLessThan(5_000)
  })

  it('hands back what is left and abandons the handlers running when the budget runs out', async () => {
    const queue = new MemoryQueue(100)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(queue.push(), (_item, { signal }) => sleep(1_000, undefined, { signal }), {
        name: 'jobs',
        concurrency: 2,
        highWaterMark: 100,
        drain: 'all',
        timeout: 100,
      }),
    )
    await lifecycle.start()
    // 100 pushed at the subscription: 2 in flight, 98 buffered.
    const error = await lifecycle.stop().then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook?.status).toBe('timeout')
    expect(hook?.details).toMatchObject({ abandoned: 2, drained: 0, handedBack: 98 })
    await vi.waitFor(() => expect(queue.requeued).toHaveLength(98), { timeout: 5_000, interval: 1 })
  })
})
