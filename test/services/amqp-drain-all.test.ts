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
    // Nothing finishes before the stop: the broker's window stays full (10 unacked), none on the wire.
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      amqpConsumer(
        await connection.createChannel(),
        queue,
        async (message) => {
          started++
          await gate
          await sleep(10)
          handled.push(message.content.toString())
        },
        { prefetch: 10, concurrency: 2, drain: 'all', connection },
      ),
    )
    await lifecycle.start()
    while (started < 2) await sleep(5)
    // Let the other 8 prefetched messages arrive before the stop.
    await sleep(100)
    const stopped = lifecycle.stop()
    release()
    const report = await stopped
    // 10 prefetched at the stop (2 running, 8 waiting): all handled and acked, none handed back.
    expect(report.phases[0]?.hooks[0]?.details).toEqual({
      inFlight: 2,
      acked: 10,
      requeued: 0,
      failed: 0,
      abandoned: 0,
    })
    expect(handled).toHaveLength(10)
    expect(new Set(handled).size).toBe(10)
    expect(await depth(queue)).toBe(20)
  })

  it("without it ('in-flight'), the same 8 waiting messages go back to the queue", async () => {
    const queue = await queueWith(30)
    const connection = await amqp.connect(URL)
    let started = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      amqpConsumer(
        await connection.createChannel(),
        queue,
        async () => {
          started++
          await gate
        },
        { prefetch: 10, concurrency: 2, connection },
      ),
    )
    await lifecycle.start()
    while (started < 2) await sleep(5)
    await sleep(100)
    const stopped = lifecycle.stop()
    release()
    const report = await stopped
    expect(report.phases[0]?.hooks[0]?.details).toEqual({
      inFlight: 2,
      acked: 2,
      requeued: 8,
      failed: 0,
      abandoned: 0,
    })
    expect(await depth(queue)).toBe(28)
  })
})
