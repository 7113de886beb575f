import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type ChannelModel } from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { amqpConnection, amqpConsumer } from '../../src/adapters/amqp/index.js'
import { Lifecycle } from '../../src/index.js'

const URL = 'amqp://guest:guest@127.0.0.1:5672'
let admin: ChannelModel
beforeAll(async () => {
  admin = await amqp.connect(URL)
})
afterAll(() => admin.close())

async function queueWith(messages: readonly string[]): Promise<string> {
  const queue = `gl-test-${randomUUID()}`
  const channel = await admin.createConfirmChannel()
  await channel.assertQueue(queue, { durable: false })
  for (const body of messages) channel.sendToQueue(queue, Buffer.from(body))
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

describe('amqpConsumer() handler errors, and amqpConnection()', () => {
  it('requeues the message of a handler that threw, so a later attempt can ack it', async () => {
    const queue = await queueWith(['a', 'b'])
    const connection = await amqp.connect(URL)
    const attempts = new Map<string, number>()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      amqpConsumer(await connection.createChannel(), queue, (message) => {
        const body = message.content.toString()
        attempts.set(body, (attempts.get(body) ?? 0) + 1)
        if (body === 'b' && attempts.get(body) === 1) throw new Error('flaky')
      }),
    )
    lifecycle.register(amqpConnection(connection))
    await lifecycle.start()
    while ((attempts.get('b') ?? 0) < 2) await sleep(5)
    await sleep(50)
    const report = await lifecycle.stop()
    expect(Object.fromEntries(attempts)).toEqual({ a: 1, b: 2 })
    expect(report.phases.at(-1)?.hooks[0]).toMatchObject({ name: 'amqp', details: { closed: true } })
    expect(await depth(queue)).toBe(0)
  })

  it('rejects it instead with `requeueOnError: false`, and counts it as failed during the stop', async () => {
    const queue = await queueWith(['x'])
    const connection = await amqp.connect(URL)
    let attempts = 0
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
          attempts++
          await gate
          throw new Error('bad message')
        },
        { requeueOnError: false, connection },
      ),
    )
    await lifecycle.start()
    while (attempts < 1) await sleep(5)
    const stopped = lifecycle.stop()
    release()
    const report = await stopped
    expect(report.phases[0]?.hooks[0]?.details).toEqual({
      inFlight: 1,
      acked: 0,
      requeued: 0,
      failed: 1,
      abandoned: 0,
    })
    expect(attempts).toBe(1)
    expect(await depth(queue)).toBe(0)
  })
})
