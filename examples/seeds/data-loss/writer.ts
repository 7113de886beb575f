/**
 * Seed 000's conclusion, measured: "killed while items sit in an in-memory queue, the data is lost;
 * a write not wrapped in a transaction, interrupted half-way, leaves dirty data". This writer takes
 * 300 orders from an in-memory queue and writes each as 6 statements, without a transaction.
 *
 *   npx tsx examples/seeds/data-loss/writer.ts /tmp/orders &  sleep 5; kill -KILL $!
 *   npx tsx examples/seeds/data-loss/check.ts /tmp/orders     # half-written 1, missing 270
 *
 *   npx tsx examples/seeds/data-loss/writer.ts /tmp/orders2 & sleep 5; kill -TERM $!
 *   npx tsx examples/seeds/data-loss/check.ts /tmp/orders2    # half-written 0, missing 0
 *
 * SIGKILL: the order being written is left half-written, the queue is gone. SIGTERM, through the
 * lifecycle: the consumer finishes the order in flight, the orders not started stay in the queue
 * and are saved to `pending`, and only then does the database close. (With a transaction per
 * order, SIGKILL would roll the order back instead of leaving half of it: missing, not dirty.)
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle, Priority } from 'graceful-lifecycle'
import { consumer } from 'graceful-lifecycle/workers'
import { LINES, ORDERS, openStore } from './store.js'

const dir = process.argv[2]
if (dir === undefined) throw new TypeError('usage: writer.ts <data dir>')
const db = await openStore(dir)
const queue = Array.from({ length: ORDERS }, (_, n) => n)
const lifecycle = new Lifecycle({ timeout: 10_000 })

lifecycle.register(
  consumer<number>(
    { next: () => queue.shift(), requeue: (orders) => queue.unshift(...orders) },
    async (n) => {
      await db.query('INSERT INTO orders (n) VALUES ($1)', [n])
      for (let line = 1; line <= LINES; line++) {
        await sleep(5) // pricing, stock, a call to another service: the write takes a while
        await db.query('INSERT INTO order_lines (n, line) VALUES ($1, $2)', [n, line])
      }
      console.log(`order ${n} written`)
    },
    { name: 'orders' },
  ),
)
lifecycle.onStop('save-queue', async ({ details }) => {
  await db.transaction(async (tx) => {
    for (const n of queue) await tx.query('INSERT INTO pending (n) VALUES ($1)', [n])
  })
  details.saved = queue.length
})
lifecycle.onStop('database', () => db.close(), { priority: Priority.RESOURCES })
lifecycle.on('stopped', () => console.log(`stopped: ${queue.length} orders saved to pending`))
lifecycle.handleSignals()
await lifecycle.start()
console.log(`writing ${ORDERS} orders to ${dir}`)
