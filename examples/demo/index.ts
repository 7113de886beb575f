/**
 * The demo behind `npm start`: a small order service on real parts that need no install.
 *
 * - HTTP API: `POST /orders` stores an order and its lines in one transaction, then queues it for
 *   shipping; `GET /slow?ms=5000` takes its time; `/readyz`, `/livez`.
 * - Orders in an embedded PostgreSQL (PGlite) in a temporary folder, or `DATABASE_URL`.
 * - Shipping through an in-process queue drained by `consumer()`, or RabbitMQ with `AMQP_URL`.
 * - A periodic worker sampling metrics, and a telemetry flush that writes them out.
 *
 * Ctrl+C: readiness fails, the drain delay passes, the server answers what is in flight, the queue
 * finishes its shipments and leaves the rest placed, the rows are audited, the database closes,
 * the metrics flush. Then the report (timeline and table) and one line of counts. A second Ctrl+C
 * forces the stop.
 */
import { appendFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle, Priority } from 'graceful-lifecycle'
import { drainDelay, health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'
import { worker } from 'graceful-lifecycle/workers'
import { type Audit, openDatabase } from './database.js'
import { openQueue } from './queue.js'
import { checked, cut, newCounters } from './summary.js'

const run = new Date().toISOString()
const counters = newCounters()
const lifecycle = new Lifecycle({ timeout: 20_000, hookTimeout: 8_000, gracePeriod: 30_000 })
const probes = health()
lifecycle.register(probes)
const { readiness, liveness } = probes
const database = await openDatabase()
const queue = await openQueue((id) => database.ship(id))

const server = createServer(async (req, res) => {
  counters.accepted++
  res.once('finish', () => counters.answered++)
  // A client that hangs up before its answer (Ctrl+C on curl) is not a request the stop dropped.
  req.once('close', () => {
    if (!res.writableFinished && !res.headersSent && req.destroyed && !stopping) counters.clientGone++
  })
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/readyz') return readiness(req, res)
  if (url.pathname === '/livez') return liveness(req, res)
  if (url.pathname === '/slow') {
    await sleep(Math.min(60_000, Number(url.searchParams.get('ms') ?? 3_000)))
    return res.end('slow: done\n')
  }
  if (url.pathname === '/orders' && req.method === 'POST') {
    counters.transactions++
    try {
      const id = await database.place(run, 1 + Math.floor(Math.random() * 5))
      counters.placed++
      queue.enqueue(id)
      return res.writeHead(201, { 'content-type': 'application/json' }).end(`{"id":${id}}\n`)
    } catch (error) {
      return res.writeHead(503).end(`${String(error)}\n`)
    } finally {
      counters.transactions--
    }
  }
  res.writeHead(404).end('try POST /orders, GET /slow?ms=3000, /readyz, /livez\n')
})

// Telemetry: a worker samples every second; the last phase writes the samples out.
const samples: string[] = []
const metricsFile = join(tmpdir(), `graceful-lifecycle-demo-metrics-${process.pid}.jsonl`)
const sample = (): void => {
  samples.push(
    JSON.stringify({ at: Date.now(), accepted: counters.accepted, transactions: counters.transactions }),
  )
}

let audit: Audit | undefined
let stopping = false
lifecycle.on('stopping', () => {
  stopping = true
})
lifecycle.register(drainDelay(Number(process.env.DRAIN_DELAY ?? 1_000)))
lifecycle.register(httpServer(server, { timeout: 8_000 }))
for (const component of queue.components) lifecycle.register(component)
lifecycle.register(
  worker(
    async ({ signal }) => {
      while (!signal.aborted) {
        sample()
        await sleep(1_000, undefined, { signal }).catch(() => {})
      }
    },
    { name: 'metrics' },
  ),
)
lifecycle.onStop('audit', async ({ details }) => {
  // After the workers, before the database and the broker close: count the rows and the queue.
  audit = await database.audit(run)
  const { handedBack } = await queue.counts()
  Object.assign(details, { ...audit, handedBack })
})
lifecycle.register(database.component)
lifecycle.onStop(
  'telemetry',
  async ({ details }) => {
    sample()
    await appendFile(metricsFile, `${samples.join('\n')}\n`)
    details.samples = samples.length
  },
  { priority: Priority.TELEMETRY },
)

lifecycle.handleSignals({
  // Runs after the logger printed the report (timeline and table) and "exiting with code N": the counts.
  exit: (code) => {
    void (async () => {
      const counts = await queue.counts()
      const forced = code === 130 || code === 143
      if (forced) console.log(cut(counters, counts, code))
      else if (audit) console.log(checked(counters, audit, counts, code))
      else console.log(`demo: the audit did not run (see the report above) · exit code ${code}`)
      process.stdout.write('', () => process.exit(code))
    })()
  },
})

console.log(`demo: starting (orders in ${database.where}, shipping through ${queue.where})`)
await lifecycle.start()
const resumed = await database.unshipped(run)
queue.resume(resumed)
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 3000), resolve))
const base = `http://localhost:${(server.address() as AddressInfo).port}`
console.log(`demo: listening on ${base} (pid ${process.pid})${resumed.length ? `; ${resumed.length} orders an earlier run left unshipped` : ''}
demo: try, in another terminal:
  npx tsx examples/demo/load.ts ${base}   # places orders until the server goes away
  curl ${base}/slow?ms=5000                 # then press Ctrl+C here while it waits
demo: Ctrl+C stops it phase by phase; a second Ctrl+C forces it.`)
