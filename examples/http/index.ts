/**
 * The seeds' experiment, done right for Node: `/hello` sleeps 2 s; a request is in flight when
 * SIGTERM arrives; it still finishes (with `Connection: close`), while a new connection made after
 * the signal is refused, and the process exits as soon as the work is done.
 *
 *   node --import tsx examples/http/index.ts            # runs the experiment on itself and exits
 *   node --import tsx examples/http/index.ts --serve    # just serves on PORT (3000): try
 *                                                       #   curl localhost:3000/hello & sleep 0.5; kill -TERM <pid>
 */
import { createServer, get, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'

const serveOnly = process.argv.includes('--serve')
const lifecycle = new Lifecycle({ timeout: 10_000 })
const { readiness } = health(lifecycle)

const server = createServer(async (req, res) => {
  if (req.url === '/readyz') return readiness(req, res)
  await sleep(2_000)
  res.end('Hello, world!\n')
})
// Register before listen: every connection is tracked from its first byte.
lifecycle.register(httpServer(server, { timeout: 5_000 }))
lifecycle.handleSignals()
await lifecycle.start()
await new Promise<void>((resolve) => server.listen(serveOnly ? Number(process.env.PORT ?? 3000) : 0, resolve))
const { port } = server.address() as AddressInfo
console.log(`listening on http://localhost:${port}`)

if (!serveOnly) {
  const t0 = performance.now()
  const at = () => `${Math.round(performance.now() - t0)} ms`.padStart(8)
  const request = (label: string) =>
    new Promise<void>((resolve) => {
      get({ port, path: '/hello' }, (res: IncomingMessage) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => {
          console.log(
            `${at()}  ${label}: ${res.statusCode} ${JSON.stringify(body)} (Connection: ${res.headers.connection})`,
          )
          resolve()
        })
      }).on('error', (error: NodeJS.ErrnoException) => {
        console.log(`${at()}  ${label}: ${error.code}`)
        resolve()
      })
    })

  console.log(`${at()}  GET /hello (sleeps 2 s)`)
  const inFlight = request('in-flight request')
  await sleep(500)
  console.log(`${at()}  SIGTERM`)
  process.kill(process.pid, 'SIGTERM')
  await sleep(50)
  console.log(`${at()}  GET /hello on a new connection`)
  await Promise.all([inFlight, request('new request after SIGTERM')])
  // handleSignals() logs the report and exits with 0 once the stop is done.
}
