import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { run } from '../examples/child.js'

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672'
const queue = `gl-example-${randomUUID()}`
const total = 500
let connection: amqp.ChannelModel
let channel: amqp.Channel
beforeAll(async () => {
  connection = await amqp.connect(AMQP_URL)
  channel = await connection.createChannel()
})
afterAll(async () => {
  await channel.deleteQueue(queue)
  await connection.close()
})

test('examples/rabbitmq: a missing queue is declared; SIGTERM mid-queue: handled + still queued = published, exit 0', async () => {
  // The queue does not exist yet: the example declares it instead of crashing on a 404.
  const child = run('examples/rabbitmq/index.ts', { env: { AMQP_URL, QUEUE: queue } })
  await child.line(/Ctrl\+C to stop/)
  for (let i = 0; i < total; i++) channel.sendToQueue(queue, Buffer.from(String(i)))
  await child.line(/first message/)
  child.kill('SIGTERM')
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  const handled = Number(/handled (\d+)/.exec(child.stdout())?.[1])
  const { messageCount } = await channel.checkQueue(queue)
  expect(handled).toBeGreaterThan(0)
  expect(handled + messageCount).toBe(total)
})
