/** The server is claimed, and its listeners added, only once `register()` accepts the component (issue 8). */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'
import { httpDetails } from './support/servers.js'

const EVENTS = ['connection', 'request', 'upgrade', 'connect', 'newListener', 'removeListener'] as const
const counts = (server: http.Server) => EVENTS.map((event) => server.listenerCount(event))

async function serveOnce(server: http.Server, lifecycle: Lifecycle, name: string) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true })
  await new Promise((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve))
      .on('error', reject),
  )
  const report = await lifecycle.stop()
  agent.destroy()
  return httpDetails(report, name)
}

describe('httpServer() claims its server at registration', () => {
  it('adds nothing to the server before register()', () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const before = counts(server)
    httpServer(server)
    expect(counts(server)).toEqual(before)
  })

  it('leaves nothing behind when register() refuses it (duplicate name): the server can be claimed again', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const before = counts(server)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.onStop('http', () => {})
    expect(() => lifecycle.register(httpServer(server))).toThrow(TypeError)
    expect(counts(server)).toEqual(before)

    lifecycle.register(httpServer(server, { name: 'public', idleGrace: 0 }))
    expect(counts(server)).not.toEqual(before)
    expect(await serveOnce(server, lifecycle, 'public')).toMatchObject({
      status: 'ok',
      connections: 1,
      idleClosed: 1,
    })
  })

  it('refuses, at register(), a second component for a server already claimed, leaving nothing behind', () => {
    const server = http.createServer()
    const first = httpServer(server)
    const second = httpServer(server, { name: 'again' })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(first)
    const claimed = counts(server)
    expect(() => lifecycle.register(second)).toThrow(
      /^Expected `server` of `httpServer\(\)` to be tracked once, got a server already registered/,
    )
    expect(counts(server)).toEqual(claimed)
    // `again` was not registered: the name is free.
    expect(() => lifecycle.onStop('again', () => {})).not.toThrow()
  })

  it('releases the server when unregistered: listeners gone, and it may be registered again', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const before = counts(server)
    const lifecycle = new Lifecycle({ logger: false })
    const component = httpServer(server, { idleGrace: 0 })
    const off = lifecycle.register(component)
    off()
    expect(counts(server)).toEqual(before)
    expect(() => httpServer(server, { name: 'other' })).not.toThrow()
    lifecycle.register(component)
    expect(await serveOnce(server, lifecycle, 'http')).toMatchObject({ status: 'ok', connections: 1 })
  })

  it('after a stop, unregistering hands the server to a new lifecycle, and the old drain leaves its requests alone', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    const first = new Lifecycle({ logger: false })
    const off = first.register(httpServer(server, { idleGrace: 0 }))
    expect(await serveOnce(server, first, 'http')).toMatchObject({ status: 'ok' })
    const second = new Lifecycle({ logger: false })
    expect(() => second.register(httpServer(server))).toThrow(
      /first call the function its `register\(\)` returned/,
    )
    off()
    second.register(httpServer(server, { idleGrace: 0 }))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const agent = new http.Agent({ keepAlive: true })
    const connection = await new Promise<string | undefined>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, agent }, (res) =>
          res.resume().on('end', () => resolve(res.headers.connection)),
        )
        .on('error', reject),
    )
    // The first drain ended with its listeners on the server: had they stayed, this would be `close`.
    expect(connection).toBe('keep-alive')
    const report = await second.stop()
    agent.destroy()
    expect(httpDetails(report, 'http')).toMatchObject({ status: 'ok', connections: 1, idleClosed: 1 })
  })
})
