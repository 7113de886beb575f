/**
 * Koa 3 on a server created with `http.createServer(app.callback())`, registered before it listens.
 *
 *   npx tsx examples/koa/index.ts
 *   curl localhost:3000/slow?ms=3000 &  then Ctrl+C
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'
import Koa from 'koa'

const lifecycle = new Lifecycle({ timeout: 15_000 })
const probes = health()
lifecycle.register(probes)
const { status } = probes

const app = new Koa()
app.use(async (ctx) => {
  if (ctx.path === '/readyz' || ctx.path === '/livez') {
    const { ready, live, state } = status()
    const ok = ctx.path === '/readyz' ? ready : live
    ctx.status = ok ? 200 : 503
    ctx.body = { status: ok ? 'ok' : 'unavailable', state }
    return
  }
  if (ctx.path === '/slow') {
    console.log('slow request started')
    await sleep(Number(ctx.query.ms ?? 2_000))
    ctx.body = 'slow: done\n'
    return
  }
  ctx.body = 'hello\n'
})

const server = createServer(app.callback())
lifecycle.register(httpServer(server, { timeout: 10_000 }))
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
