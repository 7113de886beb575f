import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type ChannelModel } from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ShutdownReport } from '../../src/index.js'
import { detailsOf } from '../fixtures/services/stop-on-sigterm.js'
import { exitWithin, jsonLine, runFixture } from './child.js'

const MESSAGES = 5_000
const URL = 'amqp://guest:guest@127.0.0.1:5672'

let connection: ChannelModel
let dir: string
beforeAll(async () => {
  connection = await amqp.connect(URL)
  dir = mkdtempSync(join(tmpdir(), 'gl-amqp-'))
})
afterAll(async () => {
  await connection?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function declare(queue: string): Promise<void> {
  const channel = await connection.createChannel()
  await channel.assertQueue(queue, { durable: false, autoDelete: false })
  await channel.close()
}

async function publish(queue: string): Promise<void> {
  const channel = await connection.createConfirmChannel()
  for (let id = 0; id < MESSAGES; id++) {
    channel.sendToQueue(queue, Buffer.from(String(id)), { messageId: String(id) })
  }
  await channel.waitForConfirms()
  await channel.close()
}

/** Takes every message left in the queue (consuming, far faster than `get`), then deletes it. */
async function remaining(queue: string): Promise<string[]> {
  const channel = await connection.createChannel()
  const { messageCount } = await channel.checkQueue(queue)
  const ids: string[] = []
  let done!: () => void
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  if (messageCount === 0) done()
  const { consumerTag } = await channel.consume(
    queue,
    (message) => {
      if (message === null) return
      ids.push(String(message.properties.messageId))
      if (ids.length >= messageCount) done()
    },
    { noAck: true },
  )
  await all
  await channel.cancel(consumerTag)
  // Nothing may be left: a message still on its way would be missing from the count.
  const after = await channel.checkQueue(queue)
  expect(after.messageCount).toBe(0)
  await channel.deleteQueue(queue)
  await channel.close()
  return ids
}

function recorded(file: string): string[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}

describe('RabbitMQ consumer killed by SIGTERM mid-queue', () => {
  for (let run = 1; run <= 5; run++) {
    it(`run ${run}: every one of ${MESSAGES} messages is either acked once or back in the queue`, async () => {
      const queue = `gl-test-${randomUUID()}`
      const file = join(dir, `${queue}.txt`)
      await declare(queue)
      // The consumer's start-up (tsx, connect) overlaps the publishing: it may begin consuming
      // before the last message is in, which changes nothing in the count.
      const consumer = runFixture('amqp-consumer', [queue, file])
      await Promise.all([publish(queue), consumer.line((line) => line === 'ready')])
      // Somewhere in the middle, a different point each run.
      const stopAt = 500 + Math.floor(Math.random() * 2_500)
      while (recorded(file).length < stopAt) await sleep(5)
      consumer.child.kill('SIGTERM')
      const exit = await exitWithin(consumer, 10_000)
      expect(exit, consumer.stderr()).toMatchObject({ code: 0, signal: null })

      const acked = recorded(file)
      const left = await remaining(queue)
      const ackedSet = new Set(acked)
      expect(acked.length - ackedSet.size, 'messages acked twice').toBe(0)
      expect(
        left.filter((id) => ackedSet.has(id)),
        'acked and still in the queue',
      ).toEqual([])
      expect(acked.length + left.length).toBe(MESSAGES)
      const all = new Set([...acked, ...left])
      expect(all.size).toBe(MESSAGES)
      expect(acked.length).toBeGreaterThanOrEqual(stopAt)
      expect(left.length).toBeGreaterThan(0)

      const report = jsonLine<ShutdownReport>(consumer, 'report:')
      expect(report.ok).toBe(true)
      const details = detailsOf(report, `amqp:${queue}`)
      expect(details).toMatchObject({ abandoned: 0, failed: 0 })
      // What was running at SIGTERM finished and was acked during the drain.
      expect(details?.acked).toBe(details?.inFlight)
      expect(details?.inFlight).toBeGreaterThan(0)
    })
  }
})
