/**
 * Express 5 on a server created with `http.createServer(app)`, so that the server is registered
 * before it listens (`app.listen()` would listen first).
 *
 *   npx tsx examples/express/index.ts
 *   curl localhost:3000/slow?ms=3000 &  then Ctrl+C
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import express from 'express'
import { Lifecycle } from 'graceful-lifecycle'
import { health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'

const lifecycle = new Lifecycle({ timeout: 15_000 })
const probes = health()
lifecycle.register(probes)
const { readiness, liveness } = probes

const app = express()
app.get('/readyz', readiness)
app.get('/livez', liveness)
app.get('/slow', async (req, res) => {
  console.log('slow request started')
  await sleep(Number(req.query.ms ?? 2_000))
  res.send('slow: done\n')
})
app.get('/', (_req, res) => {
  res.send('hello\n')
})

const server = createServer(app)
lifecycle.register(httpServer(server, { timeout: 10_000 }))
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
