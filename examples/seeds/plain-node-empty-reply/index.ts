/**
 * Seed 002, the problem: a plain Node server, without this package. The handler takes 3 s; press
 * Ctrl+C while a request waits and Node dies at once: the client gets no answer
 * (`curl: (52) Empty reply from server`) and the process ends by the signal (the shell shows 130).
 *
 *   npx tsx examples/seeds/plain-node-empty-reply/index.ts
 *   curl localhost:8080               # then Ctrl+C at once in the first terminal
 *
 * Compare with `../hello-after-ctrl-c`: the same server, registered with the lifecycle.
 * `SLOW_MS` (default 3000) is the handler's time.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

const slowMs = Number(process.env.SLOW_MS ?? 3_000)
const server = createServer(async (_req, res) => {
  console.log('GET /: working')
  await sleep(slowMs)
  res.end('hello world')
})
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
