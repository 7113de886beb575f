/**
 * The demo service behind `npm start`: everything a real service has, embedded, nothing to install.
 *
 * - an HTTP server on PORT (default 3000): `/hello?ms=3000` sleeps, `/readyz`, `/livez`, `/enqueue?n=100`
 * - an in-memory job queue drained by a consumer (concurrency 4) fed by a producer loop
 * - a background worker loop, a fake "database pool" and a metrics flush
 *
 * Press Ctrl+C (or `kill -TERM <pid>`): readiness turns 503, the drain delay passes, the HTTP
 * server finishes what is in flight, the consumer finishes its jobs and hands the rest back, the
 * pool closes, metrics flush — and the phase timings are printed. Ctrl+C twice forces it.
 */
import { createServer } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { drainDelay, health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle, Priority } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

const port = Number(process.env.PORT ?? 3000)
const lifecycle = new Lifecycle({ timeout: 20_000, hookTimeout: 8_000, gracePeriod: 30_000 })

// An in-memory queue: the consumer pulls from it and hands back what it did not start.
const queue: number[] = []
let nextJob = 1
const done: number[] = []
const jobs = consumer('jobs', {
  concurrency: 4,
  source: {
    next: () => queue.shift(),
    requeue: (items: number[]) => {
      queue.unshift(...items)
    },
  },
  handle: async (job: number, { signal }) => {
    await sleep(50 + Math.random() * 200, undefined, { signal })
    done.push(job)
  },
})
lifecycle.register(jobs)

lifecycle.register(
  worker('producer', async ({ signal }) => {
    while (!signal.aborted) {
      if (queue.length < 20) queue.push(nextJob++)
      await sleep(40, undefined, { signal }).catch(() => {})
    }
  }),
)

// A stand-in for a database pool: "connects" at start, "closes" at stop.
let poolOpen = false
lifecycle.register({
  name: 'db-pool',
  priority: Priority.RESOURCES,
  start: async () => {
    await sleep(30)
    poolOpen = true
  },
  stop: async ({ details }) => {
    await sleep(30)
    poolOpen = false
    details.closed = 4
  },
  timeout: 2_000,
})

lifecycle.onStop(
  'flush-metrics',
  ({ details }) => {
    details.jobsDone = done.length
    details.jobsLeftInQueue = queue.length
  },
  { priority: Priority.TELEMETRY },
)

const { readiness, liveness } = health(lifecycle)
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/readyz') return readiness(req, res)
  if (url.pathname === '/livez') return liveness(req, res)
  if (url.pathname === '/enqueue') {
    const n = Math.min(10_000, Number(url.searchParams.get('n') ?? 1))
    for (let i = 0; i < n; i++) queue.push(nextJob++)
    return res.end(`queued ${n}, ${queue.length} waiting\n`)
  }
  if (url.pathname === '/hello') {
    await sleep(Number(url.searchParams.get('ms') ?? 3_000))
    return res.end(`hello (db pool open: ${poolOpen})\n`)
  }
  res.statusCode = 404
  res.end('not found\n')
})
lifecycle.register(drainDelay(Number(process.env.DRAIN_DELAY ?? 1_000)))
lifecycle.register(httpServer(server, { timeout: 8_000 }))

lifecycle.handleSignals()
await lifecycle.start()
server.listen(port, () => {
  console.log(`demo: listening on http://localhost:${port} (pid ${process.pid})`)
  console.log(`demo: try  curl localhost:${port}/hello?ms=3000 &  then press Ctrl+C while it sleeps`)
})
