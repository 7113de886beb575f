import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it, vi } from 'vitest'
import { Lifecycle, ShutdownError, WorkerCrashedError } from '../../src/index.js'
import { consumer } from '../../src/workers/index.js'
import { captureLogger } from './capture-logger.js'
import { MemoryQueue } from './memory-queue.js'

describe('consumer() when a handler fails', () => {
  it('nacks the item, calls onError, counts it as failed, does not hand it back, and keeps consuming', async () => {
    const queue = new MemoryQueue(10)
    const onError = vi.fn()
    const lifecycle = new Lifecycle({ logger: false })
    const jobs = consumer(
      queue.pull(),
      (item) => {
        if (item % 3 === 0) throw new Error(`bad ${item}`)
      },
      { name: 'jobs', concurrency: 2, pollInterval: 5, onError },
    )
    lifecycle.register(jobs)
    await lifecycle.start()
    while (jobs.stats.processed < 10) await sleep(2)
    const report = await lifecycle.stop()
    expect(report.ok).toBe(true)
    expect(queue.nacked.sort((a, b) => a - b)).toEqual([0, 3, 6, 9])
    expect(queue.acked).toHaveLength(6)
    expect(queue.requeued).toEqual([])
    expect(onError).toHaveBeenCalledTimes(4)
    expect(onError.mock.calls.map(([error, item]) => [(error as Error).message, item])).toContainEqual([
      'bad 3',
      3,
    ])
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ processed: 10, failed: 4 })
  })

  it('logs the failure when there is no onError', async () => {
    const { logger, lines } = captureLogger()
    const lifecycle = new Lifecycle({ logger: false })
    const jobs = consumer(new MemoryQueue(1).pull(), () => Promise.reject(new Error('nope')), {
      name: 'jobs',
      logger,
    })
    lifecycle.register(jobs)
    await lifecycle.start()
    while (jobs.stats.processed < 1) await sleep(2)
    await lifecycle.stop()
    expect(lines.some((line) => line.level === 'error' && String(line.args[0]).includes('`jobs`'))).toBe(true)
  })

  it('reports a source callback that failed (here ack) as the stop hook error', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const jobs = consumer(
      {
        next: (() => {
          let n = 0
          return () => (n < 3 ? n++ : undefined)
        })(),
        ack: () => {
          throw new Error('channel closed')
        },
      },
      () => {},
      { name: 'jobs', logger: false, pollInterval: 5 },
    )
    lifecycle.register(jobs)
    await lifecycle.start()
    while (jobs.stats.processed < 3) await sleep(2)
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShutdownError)
    const hookError = (error as ShutdownError).report.phases[0]?.hooks[0]?.error
    expect(hookError).toBeInstanceOf(AggregateError)
    expect((hookError as AggregateError).errors).toHaveLength(3)
  })

  it('treats a pull source whose next() throws as a crash of the consumer', async () => {
    const onCrash = vi.fn()
    const crashed = new Promise<void>((resolve) => onCrash.mockImplementation(() => resolve()))
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      consumer(
        {
          next: () => {
            throw new Error('connection lost')
          },
        },
        () => {},
        { name: 'jobs', onCrash, logger: false },
      ),
    )
    await lifecycle.start()
    await crashed
    expect(onCrash).toHaveBeenCalledTimes(1)
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect((error as ShutdownError).report.phases[0]?.hooks[0]?.error).toBeInstanceOf(WorkerCrashedError)
  })
})
