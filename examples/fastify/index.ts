/**
 * Fastify 5: its `server` exists before `listen()`, so it is registered first; Fastify's own
 * `onClose` hooks run right after the drain, at a priority just below the server's.
 *
 *   npx tsx examples/fastify/index.ts
 *   curl localhost:3000/slow?ms=3000 &  then Ctrl+C
 */
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import { Lifecycle, Priority } from 'graceful-lifecycle'
import { health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'

const lifecycle = new Lifecycle({ timeout: 15_000 })
const probes = health()
lifecycle.register(probes)
const { status } = probes

const app = Fastify()
app.get('/readyz', async (_request, reply) => {
  const { ready, state } = status()
  return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', state })
})
app.get('/livez', async (_request, reply) => {
  const { live, state } = status()
  return reply.code(live ? 200 : 503).send({ status: live ? 'ok' : 'unavailable', state })
})
app.get<{ Querystring: { ms?: string } }>('/slow', async (request) => {
  console.log('slow request started')
  await sleep(Number(request.query.ms ?? 2_000))
  return 'slow: done\n'
})
app.get('/', async () => 'hello\n')
app.addHook('onClose', async () => {
  console.log('fastify: onClose hooks ran')
})

lifecycle.register(httpServer(app.server, { timeout: 10_000 }))
lifecycle.onStop('fastify', () => app.close(), { priority: Priority.INGRESS - 1 })
lifecycle.handleSignals()
await lifecycle.start()
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
console.log(`listening on ${address.replace('127.0.0.1', 'localhost')}`)
