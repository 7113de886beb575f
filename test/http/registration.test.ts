import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle, Priority, ShutdownError, type ShutdownReport } from '../../src/index.js'
import { httpDetails } from './support/servers.js'

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )

function getOn(port: number, agent: http.Agent, path = '/') {
  return new Promise<{ connection: string | undefined; body: string }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ connection: res.headers.connection, body }))
      })
      .on('error', reject)
  })
}

describe('httpServer() registration', () => {
  let lifecycle: Lifecycle | undefined
  afterEach(async () => {
    await lifecycle?.stop().catch(() => {})
    lifecycle = undefined
  })

  it('stops a server that never listened at once', async () => {
    lifecycle = new Lifecycle({ logger: false })
    // Waiting would mean the idle grace at least: far longer than a loaded machine takes.
    lifecycle.register(httpServer(http.createServer(), { idleGrace: 10_000 }))
    const start = performance.now()
    const report: ShutdownReport = await lifecycle.stop()
    expect(performance.now() - start).toBeLessThan(5_000)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 0 })
  })

  it('adopts a connection accepted before registration at its next request', async () => {
    // The second request is answered once the drain has closed the listener: from then on
    // responses say `Connection: close` (one written before that keeps its connection alive).
    let requests = 0
    let arrived: () => void = () => {}
    const server: http.Server = http.createServer((_req, res) => {
      const answer = (): void => {
        if (server.listening && requests > 1) setTimeout(answer, 5)
        else res.end('late')
      }
      requests++
      arrived()
      answer()
    })
    const port = await listen(server)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    expect((await getOn(port, agent)).connection).toBe('keep-alive')
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(httpServer(server, { idleGrace: 50 }))
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const reply = getOn(port, agent)
    await inFlight
    const report = await lifecycle.stop()
    expect(await reply).toEqual({ connection: 'close', body: 'late' })
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 1, drained: 1 })
    agent.destroy()
  })

  it('closes, at the end of the idle grace, an idle connection accepted before registration', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const port = await listen(server)
    const agent = new http.Agent({ keepAlive: true })
    await getOn(port, agent)
    lifecycle = new Lifecycle({ logger: false })
    // Not closed at the grace, it would last until the budget: far apart, whatever the load.
    lifecycle.register(httpServer(server, { idleGrace: 50, timeout: 20_000 }))
    const start = performance.now()
    await lifecycle.stop()
    expect(performance.now() - start).toBeLessThan(10_000)
    agent.destroy()
  })

  it('tracks WebSockets of a ws server created after the component', async () => {
    const server = http.createServer()
    lifecycle = new Lifecycle({ logger: false })
    // httpServer() first: it must still see the upgrades that `ws` handles.
    const wss = new WebSocketServer({ noServer: true })
    lifecycle.register(httpServer(server, { webSocketServer: wss, idleGrace: 50 }))
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req)
      })
    })
    const port = await listen(server)
    const client = new WebSocket(`ws://127.0.0.1:${port}/`)
    await new Promise((resolve) => client.once('open', resolve))
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)))
    const report = await lifecycle.stop()
    expect(await closed).toBe(1001)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', webSockets: 1, drained: 1, idleClosed: 0 })
  })

  it('leaves Node to answer upgrade requests itself when nobody listens for `upgrade`', async () => {
    const server = http.createServer((req, res) => res.end(`plain ${req.headers.upgrade}`))
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(httpServer(server))
    const port = await listen(server)
    expect(server.listenerCount('upgrade')).toBe(0)
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, headers: { connection: 'upgrade', upgrade: 'websocket' } }, (res) => {
          let text = ''
          res.on('data', (chunk) => {
            text += chunk
          })
          res.on('end', () => resolve(text))
        })
        .on('error', reject)
    })
    expect(body).toBe('plain websocket')
  })
})

describe('httpServer() stopped after the whole stop ran out of time', () => {
  it('still closes the listener and destroys every connection at once', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const lifecycle = new Lifecycle({ logger: false, timeout: 100, finalGrace: 50 })
    // An earlier phase eats the whole budget: the HTTP phase runs with an aborted signal.
    lifecycle.onStop('slow', () => new Promise(() => {}), { priority: Priority.DRAIN })
    lifecycle.register(httpServer(server, { idleGrace: 1_000 }))
    const port = await listen(server)
    const agent = new http.Agent({ keepAlive: true })
    await getOn(port, agent)
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShutdownError)
    const report = (error as ShutdownError).report
    expect(httpDetails(report)).toMatchObject({ connections: 1, destroyed: 1 })
    expect(server.listening).toBe(false)
    agent.destroy()
  })
})
