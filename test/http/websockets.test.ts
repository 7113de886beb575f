import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

function open(running: Running): Promise<WebSocket> {
  const scheme = running.secure ? 'wss' : 'ws'
  const socket = new WebSocket(`${scheme}://127.0.0.1:${running.port}/`, { rejectUnauthorized: false })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

describe.each(KINDS)('%s: WebSocket clients', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('receive close code 1001 and the stop waits for their close handshake', async () => {
    running = await startServer(kind, { webSockets: true })
    const clients = await Promise.all([open(running), open(running), open(running)])
    const echoed = new Promise((resolve) => clients[0]?.once('message', (data) => resolve(data.toString())))
    clients[0]?.send('ping')
    expect(await echoed).toBe('ping')
    const closes = clients.map(closeOf)

    const report = await running.stop()

    expect(await Promise.all(closes)).toEqual(Array(3).fill({ code: 1001, reason: 'Server shutting down' }))
    expect(httpDetails(report)).toMatchObject({
      status: 'ok',
      webSockets: 3,
      connections: 3,
      drained: 3,
      destroyed: 0,
    })
  })

  it('that never answer the close frame are destroyed at the budget', async () => {
    running = await startServer(kind, { webSockets: true, http: { timeout: 300 } })
    const client = await open(running)
    // A client that stops reading: it never sends its half of the close handshake.
    const raw = (client as unknown as { _socket: { pause(): void } })._socket
    raw.pause()
    const start = performance.now()
    const report = await running.stop()
    expect(performance.now() - start).toBeGreaterThanOrEqual(295)
    expect(httpDetails(report)).toMatchObject({ status: 'timeout', webSockets: 1, destroyed: 1 })
    client.terminate()
  })
})
