import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type ChannelModel } from 'amqplib'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { amqpConsumer } from '../../src/adapters/amqp/index.js'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { redisClient } from '../../src/adapters/redis/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'

async function failedStop(lifecycle: Lifecycle): Promise<ShutdownReport> {
  const error = await lifecycle.stop().then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ShutdownError)
  return (error as ShutdownError).report
}

async function clientIds(redis: Redis): Promise<Set<string>> {
  const list = (await redis.client('LIST')) as string
  return new Set([...list.matchAll(/^id=(\d+)/gm)].map((match) => match[1] ?? ''))
}

const hook = (report: ShutdownReport) => report.phases[0]?.hooks[0]

describe('adapters when the budget runs out', () => {
  it('redis: disconnects a client whose command never returns', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 })
    await redis.ping()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(redis, { timeout: 200 }))
    const forever = redis.blpop(`gl-test:${randomUUID()}`, 0)
    const report = await failedStop(lifecycle)
    expect(hook(report)).toMatchObject({
      status: 'timeout',
      details: { status: 'ready', disconnected: true },
    })
    await expect(forever).rejects.toThrow()
    expect(redis.status).toBe('end')
  })

  it('bullmq: drops the connections of a worker whose job outlives the budget', async () => {
    const name = `gl-test-${randomUUID()}`
    const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }
    const queue = new Queue(name, { connection })
    await queue.waitUntilReady()
    const admin = new Redis({ host: '127.0.0.1', port: 6379 })
    const before = await clientIds(admin)
    const worker = new Worker(name, () => sleep(3_000), { connection })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(bullmqWorker(worker, { timeout: 300 }))
    const active = new Promise((resolve) => worker.once('active', resolve))
    await queue.add('slow', {})
    await active
    const report = await failedStop(lifecycle)
    expect(hook(report)).toMatchObject({
      status: 'timeout',
      details: { inFlight: 1, completed: 0, forced: true },
    })
    // The job's function still runs (JavaScript cannot be cut short), but the worker holds no
    // connection to Redis any more.
    let opened = [...(await clientIds(admin))].filter((id) => !before.has(id))
    for (let i = 0; i < 50 && opened.length > 0; i++) {
      await sleep(10)
      opened = [...(await clientIds(admin))].filter((id) => !before.has(id))
    }
    expect(opened).toEqual([])
    await admin.quit()
    await queue.obliterate({ force: true })
    await queue.close()
  })

  describe('amqp', () => {
    let connection: ChannelModel
    beforeAll(async () => {
      connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672')
    })
    afterAll(() => connection.close())

    async function queueWith(count: number): Promise<string> {
      const queue = `gl-test-${randomUUID()}`
      const channel = await connection.createConfirmChannel()
      await channel.assertQueue(queue, { durable: false })
      for (let id = 0; id < count; id++) channel.sendToQueue(queue, Buffer.from(String(id)))
      await channel.waitForConfirms()
      await channel.close()
      return queue
    }

    async function ready(queue: string): Promise<number> {
      const channel = await connection.createChannel()
      const { messageCount } = await channel.checkQueue(queue)
      await channel.close()
      return messageCount
    }

    it('abandons handlers that outlive the budget: never acked, back in the queue', async () => {
      const queue = await queueWith(3)
      const channel = await connection.createChannel()
      let started = 0
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.register(
        amqpConsumer(
          channel,
          queue,
          async (_message, { signal }) => {
            started++
            // Ignores its signal for a while, then finishes: too late to ack.
            await new Promise((resolve) => signal.addEventListener('abort', resolve))
            await sleep(300)
          },
          { timeout: 200 },
        ),
      )
      await lifecycle.start()
      while (started < 3) await sleep(5)
      const report = await failedStop(lifecycle)
      expect(hook(report)).toMatchObject({
        status: 'timeout',
        details: { inFlight: 3, acked: 0, abandoned: 3 },
      })
      await sleep(500)
      expect(await ready(queue)).toBe(3)
    })

    it('requeues messages delivered but not started, and acks the ones in flight', async () => {
      const queue = await queueWith(10)
      const channel = await connection.createChannel()
      const handled: string[] = []
      let started = 0
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.register(
        amqpConsumer(
          channel,
          queue,
          async (message) => {
            started++
            await sleep(200)
            handled.push(message.content.toString())
          },
          { prefetch: 10, concurrency: 2 },
        ),
      )
      await lifecycle.start()
      while (started < 2) await sleep(5)
      // Let the other 8 prefetched messages arrive before the stop.
      await sleep(50)
      const report = await lifecycle.stop()
      expect(hook(report)?.details).toEqual({ inFlight: 2, acked: 2, requeued: 8, failed: 0, abandoned: 0 })
      expect(handled).toHaveLength(2)
      expect(await ready(queue)).toBe(8)
    })
  })
})
