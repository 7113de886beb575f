import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { expect, test } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'

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
 * Blocks (the event loop must not turn, or Node accepts them) until the kernel holds `count`
 * established connections to `port` (Linux: /proc/net/tcp; elsewhere it returns at once).
 */
function awaitHandshakes(port: number, count: number): void {
  if (!existsSync('/proc/net/tcp')) return
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline) {
    const established = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .filter((line) => {
        const [, address, , state] = line.trim().split(/\s+/)
        return address?.endsWith(local) && state === '01'
      }).length
    if (established >= count) return
  }
}

test('connections the kernel accepted before the stop, not yet taken by Node, are answered, not reset', async () => {
  // Held handlers, as in a burst of in-flight work: no `Connection: close` response goes out (and
  // ends the backlog window) before Node has taken every queued connection. They are answered
  // when all 40 have arrived, however long a loaded machine takes (or after 5 s, when one never
  // arrives: the assertions below then say which).
  const held: (() => void)[] = []
  const releaseAll = (): void => {
    for (const release of held.splice(0)) release()
  }
  const fallback = setTimeout(releaseAll, 5_000)
  const server = createServer((_req, res) => {
    held.push(() => res.end('hello'))
    if (held.length === 40) releaseAll()
  })
  const lifecycle = new Lifecycle({ logger: false })
  // An idle grace no loaded machine outlasts: a connection accepted with its request still on the
  // way is not idle, however long the request takes to arrive.
  lifecycle.register(httpServer(server, { timeout: 10_000, idleGrace: 5_000 }))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  // Until the event loop turns, these 40 connections wait in the listen backlog, where Node takes
  // them. connect() is issued on the next tick; the kernel completes the handshakes, on a loaded
  // machine not at once: the stop begins once it has, still before the event loop turns.
  const sockets = Array.from({ length: 40 }, () => connect(port, '127.0.0.1'))
  await new Promise((resolve) => process.nextTick(resolve))
  awaitHandshakes(port, 40)
  const stopped = lifecycle.stop()
  const responses = await Promise.all(sockets.map(request))
  const report = await stopped
  clearTimeout(fallback)

  expect(responses.filter((response) => response.startsWith('error'))).toEqual([])
  for (const response of responses) {
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(response.toLowerCase()).toContain('connection: close')
    expect(response.endsWith('hello')).toBe(true)
  }
  expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ connections: 40, drained: 40, destroyed: 0 })
  expect(server.listening).toBe(false)
})
