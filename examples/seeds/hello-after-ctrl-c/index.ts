/**
 * Seeds 000 and 003 (experiment 1): `/hello` sleeps 10 s, then answers. Press Ctrl+C while a
 * request sleeps: that request still gets its `hello`, a request made after Ctrl+C is refused,
 * and the process exits as soon as the sleeping one is answered.
 *
 *   npx tsx examples/seeds/hello-after-ctrl-c/index.ts
 *   curl localhost:9034/hello        # terminal 2; then Ctrl+C in terminal 1
 *   curl localhost:9034/hello        # terminal 3, after Ctrl+C: Connection refused
 *
 * `HELLO_MS` (default 10000) is the sleep, `PORT` (default 9034) the port.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { httpServer } from 'graceful-lifecycle/http'

const helloMs = Number(process.env.HELLO_MS ?? 10_000)
// The seed's `context.WithTimeout(ctx, 10 * time.Second)` around `server.Shutdown(ctx)`.
const lifecycle = new Lifecycle({ timeout: 10_000 + helloMs })

const server = createServer(async (req, res) => {
  if (req.url !== '/hello') return res.writeHead(404).end()
  console.log('GET /hello: sleeping')
  await sleep(helloMs)
  res.end('hello\n')
})
lifecycle.register(httpServer(server, { timeout: 10_000 + helloMs }))
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 9034), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
