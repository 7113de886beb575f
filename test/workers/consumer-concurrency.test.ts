import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { Lifecycle } from '../../src/index.js'
import { consumer } from '../../src/workers/index.js'
import { MemoryQueue } from './memory-queue.js'

for (const kind of ['pull', 'push'] as const) {
  describe(`consumer() with a ${kind} source`, () => {
    it('never runs more handlers at once than its concurrency, and reaches it', async () => {
      const queue = new MemoryQueue(60)
      let running = 0
      let peak = 0
      const handled: number[] = []
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.register(
        consumer(
          kind === 'pull' ? queue.pull() : queue.push(),
          async (item) => {
            running++
            peak = Math.max(peak, running)
            await sleep(1 + (item % 5))
            running--
            handled.push(item)
          },
          { name: 'jobs', concurrency: 4, pollInterval: 5 },
        ),
      )
      await lifecycle.start()
      while (handled.length < 60) await sleep(5)
      await lifecycle.stop()
      expect(peak).toBe(4)
      expect(new Set(handled).size).toBe(60)
      expect(queue.acked.sort((a, b) => a - b)).toEqual([...Array(60).keys()])
    })
  })
}

describe('consumer() with a push source', () => {
  it('pauses the source at its highWaterMark and resumes it when there is room', async () => {
    const queue = new MemoryQueue(40)
    const lifecycle = new Lifecycle({ logger: false })
    let done = 0
    lifecycle.register(
      consumer(
        queue.push(),
        async () => {
          await sleep(2)
          done++
        },
        { name: 'jobs', concurrency: 2, highWaterMark: 4 },
      ),
    )
    await lifecycle.start()
    while (done < 40) await sleep(5)
    await lifecycle.stop()
    expect(queue.pauses).toBeGreaterThan(0)
    expect(queue.resumes).toBeGreaterThan(0)
    expect(queue.acked).toHaveLength(40)
  })

  it('push() returns false once the consumer holds highWaterMark items, like stream.write()', async () => {
    const requeued: number[] = []
    const jobs = consumer<number>({ requeue: (items) => void requeued.push(...items) }, () => sleep(20), {
      name: 'jobs',
      concurrency: 1,
      highWaterMark: 2,
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(jobs)
    await lifecycle.start()
    expect([jobs.push(1), jobs.push(2), jobs.push(3)]).toEqual([true, true, false])
    expect(jobs.stats).toMatchObject({ inFlight: 1, buffered: 2 })
    await lifecycle.stop()
    expect(requeued).toEqual([2, 3])
  })
})
