import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type ChannelModel } from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { amqpConsumer } from '../../src/adapters/amqp/index.js'
import { Lifecycle } from '../../src/index.js'

const URL = 'amqp://guest:guest@127.0.0.1:5672'
let admin: ChannelModel
beforeAll(async () => {
  admin = await amqp.connect(URL)
})
afterAll(() => admin.close())

async function queueWith(count: number): Promise<string> {
  const queue = `gl-test-${randomUUID()}`
  const channel = await admin.createConfirmChannel()
  await channel.assertQueue(queue, { durable: false })
  for (let id = 0; id < count; id++) channel.sendToQueue(queue, Buffer.from(String(id)))
  await channel.waitForConfirms()
  await channel.close()
  return queue
}

async function depth(queue: string): Promise<number> {
  const channel = await admin.createChannel()
  const { messageCount } = await channel.checkQueue(queue)
  await channel.deleteQueue(queue)
  await channel.close()
  return messageCount
}

describe("amqpConsumer({ drain: 'all' })", () => {
  it('handles and acks every message it had prefetched before it closes, requeuing none', async () => {
    const queue = await queueWith(30)
    const connection = await amqp.connect(URL)
    const handled: string[] = []
    let started = 0
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      amqpConsumer(
        await connection.createChannel(),
        queue,
        async (message) => {
          started++
          await sleep(30)
          handled.push(message.content.toString())
        },
        { prefetch: 10, concurrency: 2, drain: 'all', connection },
      ),
    )
    await lifecycle.start()
    while (started < 2) await sleep(5)
    // Let the other prefetched messages arrive before the stop.
    await sleep(50)
    const before = handled.length
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    // 10 prefetched at the stop (2 running, 8 waiting): all acked, none handed back.
    expect(details).toMatchObject({ requeued: 0, failed: 0, abandoned: 0 })
    expect(details?.acked).toBeGreaterThanOrEqual(8)
    // Acked during the stop: what was handled during it, plus at most the 2 (concurrency) that had
    // finished just before it and whose ack was still on its way.
    const during = handled.length - before
    expect(details?.acked).toBeGreaterThanOrEqual(during)
    expect(details?.acked).toBeLessThanOrEqual(during + 2)
    expect(new Set(handled).size).toBe(handled.length)
    expect(handled.length + (await depth(queue))).toBe(30)
  })
})
