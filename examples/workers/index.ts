/**
 * The seeds' producer/consumer, graceful: 1,000 jobs in an in-memory queue, a consumer with
 * concurrency 8, and a SIGTERM mid-way. The Go version drains its channel before exiting; here the
 * consumer stops taking jobs, lets the 8 in flight finish, and hands back what it had not started,
 * so the queue can be saved for the next start. Nothing is processed twice, nothing is lost.
 *
 *   node --import tsx examples/workers/index.ts            # sends itself SIGTERM after 300 ms
 *   node --import tsx examples/workers/index.ts --manual   # waits for your Ctrl+C / kill -TERM
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

const lifecycle = new Lifecycle({ timeout: 10_000 })

// The queue: the seed's `make(chan int64, 1000)`, filled before the consumer starts.
const queue = Array.from({ length: 1_000 }, (_, id) => id)
const processed: number[] = []

const jobs = consumer('jobs', {
  source: {
    next: () => queue.shift(),
    // Items the consumer had taken but not started go back to the front of the queue.
    requeue: (items) => {
      queue.unshift(...items)
    },
  },
  concurrency: 8,
  handle: async (id, { signal }) => {
    // `signal` aborts only if the stop's budget runs out; a stop by itself lets this finish.
    await sleep(2 + Math.random() * 8, undefined, { signal })
    processed.push(id)
  },
})
lifecycle.register(jobs)

// A background loop next to it: prints progress until its stop hook aborts its signal.
lifecycle.register(
  worker('progress', async ({ signal }) => {
    while (!signal.aborted) {
      console.log(`processed ${processed.length}, queued ${queue.length}`)
      await sleep(100, undefined, { signal }).catch(() => {})
    }
  }),
)

lifecycle.on('stopped', (report) => {
  const details = report.phases.flatMap((phase) => phase.hooks).find((hook) => hook.name === 'jobs')?.details
  // In a real service: write `queue` somewhere durable, or never keep jobs only in memory.
  console.log(`stop details of jobs: ${JSON.stringify(details)}`)
  console.log(
    `processed ${processed.length} (unique ${new Set(processed).size}) + still queued ${queue.length} = ${processed.length + queue.length}`,
  )
})

lifecycle.handleSignals()
await lifecycle.start()
if (!process.argv.includes('--manual')) setTimeout(() => process.kill(process.pid, 'SIGTERM'), 300)
