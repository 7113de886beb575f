import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { wsServer } from '../../src/adapters/ws/index.js'
import { Lifecycle, Priority, ShutdownError } from '../../src/index.js'
import { exitWithin, jsonLine, runFixture } from '../services/child.js'

const servers: WebSocketServer[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

async function listen(): Promise<{ wss: WebSocketServer; url: string; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  servers.push(wss)
  await new Promise((resolve) => wss.once('listening', resolve))
  const { port } = wss.address() as AddressInfo
  return { wss, url: `ws://127.0.0.1:${port}`, port }
}

async function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  return socket
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
}

/** A client that completes the upgrade, then never answers anything (no close handshake). */
async function deafClient(port: number): Promise<{ ended: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port })
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  )
  await new Promise<void>((resolve) => socket.once('data', () => resolve()))
  return { ended: new Promise((resolve) => socket.once('close', () => resolve())) }
}

describe('wsServer()', () => {
  it.each([
    ['undefined', undefined],
    ['a number', 8080],
  ])('refuses %s at the call with a TypeError naming `wss`', (_, value) => {
    const call = () => wsServer(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `wss` of `wsServer\(\)` to be a ws WebSocketServer/)
  })

  it('refuses a server without client tracking (or anything without `clients`), and bad options', () => {
    expect(() => wsServer({ close() {} } as never)).toThrow(/`wss.clients`/)
    const wss = new WebSocketServer({ noServer: true, clientTracking: false })
    expect(() => wsServer(wss)).toThrow(/`wss.clients` .* `clientTracking: true`/)
    const tracked = new WebSocketServer({ noServer: true })
    expect(() => wsServer(tracked, { reason: '' })).toThrow(/`options.reason`/)
    expect(wsServer(tracked)).toMatchObject({ name: 'ws', priority: Priority.INGRESS })
  })

  it('closes every client with 1001, waits for the handshakes, and stops accepting', async () => {
    const { wss, url } = await listen()
    const clients = await Promise.all([open(url), open(url)])
    const closes = clients.map(closed)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(wsServer(wss))
    const report = await lifecycle.stop()
    expect(await Promise.all(closes)).toEqual([
      { code: 1001, reason: 'Server shutting down' },
      { code: 1001, reason: 'Server shutting down' },
    ])
    expect(report.phases[0]?.hooks[0]?.details).toEqual({ clients: 2, closed: 2, terminated: 0 })
    expect(wss.clients.size).toBe(0)
    await expect(open(url)).rejects.toThrow(/ECONNREFUSED/)
  })

  it('terminates a client that never answers the close frame when the budget runs out', async () => {
    const { wss, port, url } = await listen()
    const polite = await open(url)
    const politeClosed = closed(polite)
    const deaf = await deafClient(port)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(wsServer(wss, { timeout: 200, reason: 'bye' }))
    const started = performance.now()
    const error = await lifecycle.stop().catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(ShutdownError)
    await deaf.ended
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(await politeClosed).toEqual({ code: 1001, reason: 'bye' })
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook?.status).toBe('timeout')
    expect(hook?.details).toEqual({ clients: 2, closed: 1, terminated: 1 })
  })

  it('lets a process with a ws server and a connected client exit on its own after SIGTERM', async () => {
    const fixture = runFixture('exit-ws')
    const ready = await fixture.line((line) => line.startsWith('ready:'))
    const client = await open(`ws://127.0.0.1:${ready.slice('ready:'.length)}`)
    const echoed = new Promise((resolve) => client.once('message', (data) => resolve(String(data))))
    client.send('hello')
    expect(await echoed).toBe('echo:hello')
    const clientClosed = closed(client)
    fixture.child.kill('SIGTERM')
    const exit = await exitWithin(fixture, 5_000)
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(await clientClosed).toEqual({ code: 1001, reason: 'Server shutting down' })
    const report = jsonLine<{ phases: { hooks: { details: unknown }[] }[] }>(fixture, 'report:')
    expect(report.phases[0]?.hooks[0]?.details).toEqual({ clients: 1, closed: 1, terminated: 0 })
  })
})
