import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { httpServer, requestSignal } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'

test('Hono: `requestSignal(c.env.incoming)` ends a long poll before the drain runs out, with `Connection: close`', async () => {
  const app = new Hono<{ Bindings: HttpBindings }>()
  let polling: () => void = () => {}
  const inHandler = new Promise<void>((resolve) => (polling = resolve))
  app.get('/poll', async (c) => {
    const signal = requestSignal(c.env.incoming)
    polling()
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    return c.text(`bye: ${(signal.reason as Error).name}`)
  })
  const server = createAdaptorServer({ fetch: app.fetch }) as http.Server
  const lifecycle = new Lifecycle({ logger: false })
  // A 1.5 s drain: requests abort requestAbortLead (1 s) before its end.
  lifecycle.register(httpServer(server, { timeout: 1_500, idleGrace: 50 }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const agent = new http.Agent({ keepAlive: true })
  const reply = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/poll', agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ body, connection: res.headers.connection }))
      })
      .on('error', reject)
  })
  await inHandler
  const report = await lifecycle.stop()
  agent.destroy()

  expect(await reply).toEqual({ body: 'bye: TimeoutError', connection: 'close' })
  expect(report.ok).toBe(true)
  expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ drained: 1, destroyed: 0 })
})
