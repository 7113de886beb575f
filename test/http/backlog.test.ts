import { once } from 'node:events'
import { createServer } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { expect, test } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { DEFAULTS, Lifecycle } from '../../src/index.js'

/** Sends one request on a raw socket; resolves with the whole response, or the error code. */
function request(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      data += chunk
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`))
    socket.on('close', () => resolve(data))
    socket.write('GET /hello HTTP/1.1\r\nHost: x\r\n\r\n')
  })
}

/**
 * 40 connections in the listen backlog when the stop begins; `turnMs`: each event-loop turn is
 * made to take that long (a busy machine), until the listener has closed.
 */
async function stopWithQueuedConnections(turnMs = 0) {
  // Slow handlers, as in a burst of in-flight work: they answer once the listener has closed, so
  // that no `Connection: close` response goes out (and ends the backlog window) before Node has
  // taken every queued connection (until then a response keeps its connection alive).
  let listenerClosed = (): void => {}
  const closed = new Promise<void>((resolve) => {
    listenerClosed = resolve
  })
  const server = createServer((_req, res) => void closed.then(() => res.end('hello')))
  const lifecycle = new Lifecycle({ logger: false })
  lifecycle.register(httpServer(server, { timeout: 5_000, idleGrace: 100 }))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  // On loopback the handshake completes inside connect(): until the event loop turns, these 40
  // connections wait in the listen backlog, where Node takes one per turn.
  const sockets = Array.from({ length: 40 }, () => connect(port, '127.0.0.1'))
  // Each loop turn: has the listener closed? And with `turnMs`, the CPU another process would take.
  const busy = setInterval(() => {
    if (!server.listening) {
      clearInterval(busy)
      listenerClosed()
      return
    }
    const end = performance.now() + turnMs
    while (performance.now() < end) {}
  }, 0)
  const stopped = lifecycle.stop()
  const responses = await Promise.all(sockets.map(request))
  const report = await stopped

  expect(responses.filter((response) => response.startsWith('error'))).toEqual([])
  for (const response of responses) {
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(response.toLowerCase()).toContain('connection: close')
    expect(response.endsWith('hello')).toBe(true)
  }
  expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ connections: 40, drained: 40, destroyed: 0 })
  expect(server.listening).toBe(false)
}

test('connections the kernel accepted before the stop, not yet taken by Node, are answered, not reset', async () => {
  await stopWithQueuedConnections()
})

test('on a busy machine too: 40 loop turns of 5 ms each to take them, and none is reset', async () => {
  // Node takes one queued connection per loop turn: 200 ms here, twice the former cap
  // (`DEFAULTS.http.backlogDrainCap` was 100 ms), which closed the listener on about 20 of them.
  expect(DEFAULTS.http.backlogDrainCap).toBeGreaterThanOrEqual(40 * 5 * 2)
  await stopWithQueuedConnections(5)
})
