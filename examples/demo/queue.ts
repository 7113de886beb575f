/**
 * The demo's queue of orders to ship: an in-process queue drained by `consumer()`, or RabbitMQ
 * when `AMQP_URL` is set (`amqpConsumer()`). Either way an order stays `placed` in the database
 * until it is shipped, so an item handed back on stop is taken again at the next start.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import amqp from 'amqplib'
import type { Component } from 'graceful-lifecycle'
import { amqpConnection, amqpConsumer } from 'graceful-lifecycle/amqp'
import { consumer } from 'graceful-lifecycle/workers'

export interface QueueCounts {
  /** Items waiting from an earlier run when this one started. */
  readonly earlier: number
  readonly enqueued: number
  readonly processed: number
  /** Items given back at the stop, or never taken: still `placed`, shipped at the next start. */
  readonly handedBack: number
  /** Handlers running right now (cut, if the stop is forced). */
  readonly inFlight: number
  /**
   * Whether every unshipped order in the database must be in this queue: an in-process queue
   * takes them all again at start; a broker queue holds only what was published to it.
   */
  readonly resumesFromDatabase: boolean
}

export interface Queue {
  readonly where: string
  readonly components: readonly Component[]
  enqueue(id: number): void
  /** Orders an earlier run left unshipped: an in-process queue takes them again (a broker still has them). */
  resume(ids: readonly number[]): void
  /** Called at `Priority.DEFAULT` of the stop (after the consumer stopped), and at the exit. */
  counts(): Promise<QueueCounts>
}

/** Shipping an order: a call to the carrier, cut short only when the stop's budget runs out. */
async function shipment(signal: AbortSignal): Promise<void> {
  await sleep(100 + Math.random() * 200, undefined, { signal })
}

function inProcess(ship: (id: number) => Promise<void>): Queue {
  const items: number[] = []
  let earlier = 0
  let enqueued = 0
  let processed = 0
  const orders = consumer<number>(
    {
      next: () => items.shift(),
      requeue: (ids) => {
        items.unshift(...ids)
      },
    },
    async (id, { signal }) => {
      await shipment(signal)
      await ship(id)
      processed++
    },
    { name: 'queue', concurrency: 4, pollInterval: 20, timeout: 5_000 },
  )
  return {
    where: 'an in-process queue',
    components: [orders],
    enqueue: (id) => {
      enqueued++
      items.push(id)
    },
    resume: (ids) => {
      earlier += ids.length
      items.push(...ids)
    },
    counts: async () => ({
      earlier,
      enqueued,
      processed,
      handedBack: items.length,
      inFlight: orders.stats.inFlight,
      resumesFromDatabase: true,
    }),
  }
}

async function rabbitmq(url: string, ship: (id: number) => Promise<void>): Promise<Queue> {
  const name = process.env.DEMO_QUEUE ?? 'graceful-lifecycle-demo'
  const connection = await amqp.connect(url)
  const publisher = await connection.createChannel()
  const consuming = await connection.createChannel()
  // Declared here, so that a queue nobody created yet is no 404 at start.
  const { messageCount: earlier } = await publisher.assertQueue(name, { durable: true })
  let enqueued = 0
  let processed = 0
  let inFlight = 0
  let closedCount: number | undefined
  return {
    where: `RabbitMQ queue ${name}`,
    components: [
      amqpConsumer(
        consuming,
        name,
        async (message, { signal }) => {
          inFlight++
          try {
            await shipment(signal)
            await ship(Number(message.content.toString()))
            processed++
          } finally {
            inFlight--
          }
        },
        { name: 'queue', prefetch: 20, concurrency: 4, timeout: 5_000 },
      ),
      amqpConnection(connection),
    ],
    enqueue: (id) => {
      enqueued++
      publisher.sendToQueue(name, Buffer.from(String(id)), { persistent: true })
    },
    resume: () => {},
    // Asked by the audit, after the consumer's channel closed (its unacked messages are back in
    // the queue) and before the connection closes: the broker says what is left.
    counts: async () => {
      // NaN when the broker can no longer be asked (a forced stop closed the connection).
      const handedBack =
        closedCount ??
        (await publisher.checkQueue(name).then(
          (queue) => queue.messageCount,
          () => Number.NaN,
        ))
      closedCount = handedBack
      return { earlier, enqueued, processed, handedBack, inFlight, resumesFromDatabase: false }
    },
  }
}

export function openQueue(ship: (id: number) => Promise<void>): Promise<Queue> {
  const url = process.env.AMQP_URL
  return url ? rabbitmq(url, ship) : Promise.resolve(inProcess(ship))
}
