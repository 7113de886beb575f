/**
 * Until the stop begins, a request costs one listener call and one shared `close` listener on the
 * response (so an idle connection does not hold its last response): nothing else changed on it.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'

async function inspect(track: boolean) {
  const seen: Array<{ close: number; finish: number; writeHead: boolean; keepAlive: boolean }> = []
  const server = http.createServer((_req, res) => {
    seen.push({
      close: res.listenerCount('close'),
      finish: res.listenerCount('finish'),
      writeHead: Object.hasOwn(res, 'writeHead'),
      keepAlive: res.shouldKeepAlive,
    })
    res.end('ok')
  })
  const lifecycle = new Lifecycle({ logger: false })
  if (track) lifecycle.register(httpServer(server, { idleGrace: 0 }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  for (let i = 0; i < 3; i++)
    await new Promise((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve))
        .on('error', reject),
    )
  agent.destroy()
  if (track) await lifecycle.stop()
  else await new Promise((resolve) => server.close(resolve))
  return seen
}

it('leaves each response as a bare server has it until the stop begins, but for one close listener', async () => {
  const bare = await inspect(false)
  const tracked = await inspect(true)
  expect(tracked).toEqual(bare.map((seen) => ({ ...seen, close: seen.close + 1 })))
  expect(tracked).toHaveLength(3)
})
