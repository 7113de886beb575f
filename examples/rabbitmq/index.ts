/**
 * A RabbitMQ consumer (`amqplib`): each message is handled, then acked by the adapter. On SIGTERM
 * the consumer is cancelled, the handlers in flight finish and are acked, the messages prefetched
 * but not started go back to the queue, then the channel and the connection close; exit 0.
 *
 *   AMQP_URL=amqp://guest:guest@127.0.0.1 npx tsx examples/rabbitmq/index.ts
 *
 * `QUEUE` (default `orders`) names the queue; it is declared at start, so a missing queue is
 * created rather than crashing the consumer with a 404.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import amqp from 'amqplib'
import { Lifecycle } from 'graceful-lifecycle'
import { amqpConnection, amqpConsumer } from 'graceful-lifecycle/amqp'

const queue = process.env.QUEUE ?? 'orders'
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1')
const channel = await connection.createChannel()
await channel.assertQueue(queue, { durable: true })

const lifecycle = new Lifecycle({ timeout: 20_000 })
let handled = 0
lifecycle.register(
  amqpConsumer(
    channel,
    queue,
    async (message, { signal }) => {
      await sleep(20, undefined, { signal }) // the work: write the order, call a service, ...
      handled++
      if (handled === 1) console.log(`consuming ${queue}: first message ${message.content.toString()}`)
    },
    { prefetch: 20, concurrency: 4, timeout: 10_000 },
  ),
)
lifecycle.register(amqpConnection(connection))
lifecycle.on('stopped', () => console.log(`handled ${handled}`))
lifecycle.handleSignals()
await lifecycle.start()
console.log(`consuming ${queue} (pid ${process.pid}); Ctrl+C to stop`)
