/**
 * A plain `node:http` service: `/slow` takes a while, `/readyz` and `/livez` report the lifecycle.
 * SIGTERM or Ctrl+C: readiness turns 503, new connections are refused, the request in flight is
 * answered (with `Connection: close`), and the process exits 0.
 *
 *   npx tsx examples/node-http/index.ts
 *   curl localhost:3000/slow?ms=3000 &  then Ctrl+C
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'

const lifecycle = new Lifecycle({ timeout: 15_000 })
const probes = health()
lifecycle.register(probes)
const { readiness, liveness } = probes

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/readyz') return readiness(req, res)
  if (url.pathname === '/livez') return liveness(req, res)
  if (url.pathname === '/slow') {
    console.log('slow request started')
    await sleep(Number(url.searchParams.get('ms') ?? 2_000))
    return res.end('slow: done\n')
  }
  res.end('hello\n')
})

// Before listen(): every connection is tracked from its first byte.
lifecycle.register(httpServer(server, { timeout: 10_000 }))
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
