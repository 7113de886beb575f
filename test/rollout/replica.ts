/**
 * One replica of the rollout test, in one of four builds (argv[2]):
 * - `graceful`: what docs/kubernetes.md says: readiness 503 at SIGTERM, `drainDelay()` computed
 *   from the balancer's probe timing, then `httpServer()`'s drain;
 * - `no-delay`: the same with `drainDelay(0)`: the listener closes before the balancer notices;
 * - `naive`: `server.close()` on SIGTERM, then exit;
 * - `exit`: `process.exit()` on SIGTERM.
 *
 * Routes: `GET /readyz`, `GET /fast`, `GET /slow` (answers after SLOW_MS, longer than the drain
 * delay), `POST /rows` (appends the request's id to the shared ROWS file, then answers it).
 * Prints `{"port":N}` once listening.
 */
import { appendFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { drainDelay, health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'

export type Build = 'graceful' | 'no-delay' | 'naive' | 'exit'
const build = process.argv[2] as Build
const rows = process.env.ROWS ?? ''
const slowMs = Number(process.env.SLOW_MS ?? 1_500)
const probe = JSON.parse(process.env.PROBE ?? '{}') as {
  periodSeconds: number
  failureThreshold: number
  timeoutSeconds: number
}
const margin = Number(process.env.MARGIN_MS ?? 300)
/** A fixed drain delay for the graceful build instead of the one computed from PROBE (the direct-client test). */
const fixedDelay = process.env.DRAIN_DELAY_MS === undefined ? undefined : Number(process.env.DRAIN_DELAY_MS)

const lifecycle = new Lifecycle({ timeout: 15_000, logger: false })
const probes = health()
lifecycle.register(probes)
const { readiness } = probes

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url === '/readyz') {
    if (build === 'naive' || build === 'exit') return void res.end('ok')
    return readiness(req, res)
  }
  if (req.url === '/fast') return void res.end('fast')
  if (req.url === '/slow') {
    slowInFlight++
    await new Promise((resolve) => setTimeout(resolve, slowMs))
    slowInFlight--
    return void res.end('slow')
  }
  if (req.method === 'POST' && req.url === '/rows') {
    const id = (await body(req)).trim()
    // One write per row, O_APPEND: lines from every replica interleave whole.
    await appendFile(rows, `${id} ${process.pid}\n`)
    res.statusCode = 201
    return void res.end(id)
  }
  res.statusCode = 404
  res.end()
}

// Told to the harness at SIGTERM: the requests longer than the drain delay that this stop must finish.
let slowInFlight = 0
process.on('SIGTERM', () => process.stdout.write(`${JSON.stringify({ slowInFlight })}\n`))

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    res.statusCode = 500
    res.end(String(error))
  })
})

if (build === 'graceful' || build === 'no-delay') {
  const delay = fixedDelay === undefined ? drainDelay(probe, { margin }) : drainDelay(fixedDelay)
  lifecycle.register(build === 'graceful' ? delay : drainDelay(0))
  lifecycle.register(httpServer(server, { timeout: 8_000 }))
  lifecycle.handleSignals()
  await lifecycle.start()
} else if (build === 'naive') {
  process.once('SIGTERM', () => server.close(() => process.exit(0)))
} else {
  process.once('SIGTERM', () => process.exit(0))
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
