/**
 * The demo's queue of orders to ship: an in-process queue drained by `consumer()`, or RabbitMQ
 * when `AMQP_URL` is set (`amqpConsumer()`). Either way an order stays `placed` in the database
 * until it is shipped, so an item handed back on stop is taken again at the next start.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import amqp from 'amqplib'
import type { Component, ShutdownReport } from 'graceful-lifecycle'
import { amqpConnection, amqpConsumer } from 'graceful-lifecycle/amqp'
import { consumer } from 'graceful-lifecycle/workers'

export interface QueueCounts {
  readonly enqueued: number
  readonly processed: number
  /** Items given back at the stop, or never taken: still `placed`, shipped at the next start. */
  readonly handedBack: number
  /** Handlers running right now (cut, if the stop is forced). */
  readonly inFlight: number
}

export interface Queue {
  readonly where: string
  readonly components: readonly Component[]
  enqueue(id: number): void
  /** Called at `Priority.DEFAULT` of the stop, after the consumer stopped: what it left. */
  counts(report?: ShutdownReport): Promise<QueueCounts>
}

/** Shipping an order: a call to the carrier, cut short only when the stop's budget runs out. */
async function shipment(signal: AbortSignal): Promise<void> {
  await sleep(100 + Math.random() * 200, undefined, { signal })
}

function inProcess(ship: (id: number) => Promise<void>): Queue {
  const items: number[] = []
  let enqueued = 0
  let processed = 0
  const orders = consumer<number>('queue', {
    source: {
      next: () => items.shift(),
      requeue: (ids) => {
        items.unshift(...ids)
      },
    },
    handle: async (id, { signal }) => {
      await shipment(signal)
      await ship(id)
      processed++
    },
    concurrency: 4,
    pollInterval: 20,
    timeout: 5_000,
  })
  return {
    where: 'an in-process queue',
    components: [orders],
    enqueue: (id) => {
      enqueued++
      items.push(id)
    },
    counts: async () => ({ enqueued, processed, handedBack: items.length, inFlight: orders.stats.inFlight }),
  }
}

async function rabbitmq(url: string, ship: (id: number) => Promise<void>): Promise<Queue> {
  const name = process.env.DEMO_QUEUE ?? 'graceful-lifecycle-demo'
  const connection = await amqp.connect(url)
  const publisher = await connection.createChannel()
  const consuming = await connection.createChannel()
  // Declared here, so that a queue nobody created yet is no 404 at start.
  await publisher.assertQueue(name, { durable: true })
  let enqueued = 0
  let processed = 0
  let inFlight = 0
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
    counts: async (report) => {
      const hook = report?.phases.flatMap((phase) => phase.hooks).find((h) => h.name === 'queue')
      const requeued = Number(hook?.details?.requeued ?? 0)
      return { enqueued, processed, handedBack: Math.max(requeued, enqueued - processed), inFlight }
    },
  }
}

export function openQueue(ship: (id: number) => Promise<void>): Promise<Queue> {
  const url = process.env.AMQP_URL
  return url ? rabbitmq(url, ship) : Promise.resolve(inProcess(ship))
}
