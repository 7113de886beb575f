/**
 * Seed 000 (second part): a channel of 1,000 numbers, printed one by one; on Ctrl+C the Go version
 * closes the channel and prints what is left before it exits. Here the 1,000 items are pushed into
 * a `consumer()` whose buffer holds them all (the channel), and `drain: 'all'` makes its stop
 * process everything buffered within its budget instead of handing it back: every number from 0
 * to 999 is printed once, in order, whenever Ctrl+C comes.
 *
 *   npx tsx examples/seeds/producer-consumer/index.ts    # then Ctrl+C while it prints
 *
 * `ITEM_MS` (default 1) is the time per item (the seed sleeps 100 µs; 1 ms leaves time for Ctrl+C).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { consumer } from 'graceful-lifecycle/workers'

const end = 1_000
const itemMs = Number(process.env.ITEM_MS ?? 1)
const lifecycle = new Lifecycle({ timeout: 20_000 })

const queue = consumer<number>(
  {
    requeue: (items) => console.log(`handed back ${items.length}: ${items.join(' ')}`),
  },
  async (i) => {
    console.log(i)
    await sleep(itemMs)
    if (i === end - 1) void lifecycle.stop() // the last item: done, like the seed's `return`
  },
  { name: 'queue', highWaterMark: end, drain: 'all', timeout: 15_000 },
)
lifecycle.register(queue)
lifecycle.on('stopping', (reason) => {
  if (reason.type === 'signal') console.log(`received ${reason.signal}: processing what is buffered`)
})
lifecycle.handleSignals()
await lifecycle.start()
for (let i = 0; i < end; i++) queue.push(i)
