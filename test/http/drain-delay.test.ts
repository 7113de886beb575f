/**
 * With a drain delay before it, the process serves as before through the delay, keep-alive
 * included (clients that connect straight here do not churn into the listen backlog), and tells
 * clients `Connection: close` once the drain has closed the listener; idle connections close once
 * requests have stopped for the idle grace. Without one, idle connections keep their grace. Both under load.
 */
import type * as http from 'node:http'
import * as http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { drainDelay } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'
import { agentSockets, closed, errorCode, get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

const DELAY = 1_000
const GRACE = 1_000
const IDLE = 5
const WORKERS = 8

interface Outcome {
  readonly sentAt: number
  /** When the response had been read (ms since the origin). */
  readonly doneAt?: number
  readonly ok: boolean
  readonly connection?: string | undefined
  readonly code?: string | undefined
}

/**
 * Requests in a loop on a shared keep-alive agent until the server refuses a connection, or, once
 * `routed()` turns false (the balancer stopped sending new connections here), until one would need
 * a new connection.
 */
async function load(
  running: Running,
  agent: http.Agent,
  outcomes: Outcome[],
  origin: number,
  routed: () => boolean = () => true,
) {
  let connection: string | undefined
  for (;;) {
    if (connection === 'close' && !routed()) return
    const sentAt = performance.now() - origin
    try {
      const reply = await get(running, '/slow?ms=5', agent)
      connection = reply.headers.connection
      outcomes.push({
        sentAt,
        doneAt: performance.now() - origin,
        ok: reply.status === 200 && reply.body === 'slow',
        connection,
      })
    } catch (error) {
      outcomes.push({ sentAt, ok: false, code: errorCode(error) })
      if (errorCode(error) === 'ECONNREFUSED') return
    }
  }
}

/** Opens `IDLE` keep-alive connections that then sit idle; returns their sockets. */
async function idleConnections(running: Running) {
  const agent = keepAliveAgent(running)
  await Promise.all(Array.from({ length: IDLE }, () => get(running, '/hello', agent)))
  const sockets = agentSockets(agent)
  expect(sockets).toHaveLength(IDLE)
  return { agent, sockets }
}

describe.each(KINDS)('%s: under load', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it(`after a ${DELAY} ms drain delay: no request lost, responses of the delay keep alive, idle connections close once requests stop`, async () => {
    running = await startServer(kind, { drainDelay: DELAY, http: { idleGrace: GRACE, timeout: 5_000 } })
    const idle = await idleConnections(running)
    const agent = keepAliveAgent(running)
    const outcomes: Outcome[] = []
    const origin = performance.now()
    let stopAt = Number.POSITIVE_INFINITY
    // New connections reach this server until shortly before the delay ends, as through a
    // balancer that needs most of the delay to take it out; pooled connections are used all along.
    const routed = () => performance.now() - origin < stopAt + DELAY - 200
    const workers = Array.from({ length: WORKERS }, () =>
      load(running as Running, agent, outcomes, origin, routed),
    )
    while (outcomes.length < 4 * WORKERS) await new Promise((resolve) => setTimeout(resolve, 5))

    // When the drain began and when its listener had closed (ms since the origin): what tells a
    // response of the delay from one of the drain, however late a busy machine runs the timers.
    let drainAt = Number.POSITIVE_INFINITY
    running.lifecycle.on('hook:start', (event) => {
      if (event.name === 'http') drainAt = performance.now() - origin
    })
    stopAt = performance.now() - origin
    const stopping = running.stop()
    const server = running.server as { listening: boolean }
    const listenerClosedAt = (async () => {
      while (server.listening) await new Promise((resolve) => setTimeout(resolve, 1))
      return performance.now() - origin
    })()
    const idleClosed = Promise.all(idle.sockets.map(closed))
    // Slow requests still in flight when the drain begins.
    await new Promise((resolve) => setTimeout(resolve, DELAY - 250))
    const slowAgent = keepAliveAgent(running)
    const slow = Array.from({ length: 3 }, () => get(running as Running, '/slow?ms=500', slowAgent))
    const idleClosedAt = await idleClosed
    const report = await stopping
    await Promise.all(workers)

    // Every request was answered in full: none was lost on the wire.
    expect(outcomes.filter((o) => !o.ok)).toEqual([])
    expect((await Promise.all(slow)).map((reply) => [reply.body, reply.headers.connection])).toEqual(
      Array(3).fill(['slow', 'close']),
    )
    // Served all through the delay as before the stop (answered before the drain began); told to
    // leave once the drain had closed the listener (sent after that).
    const duringDelay = outcomes.filter((o) => o.sentAt > stopAt + 50 && (o.doneAt ?? 0) < drainAt)
    expect(duringDelay.length).toBeGreaterThan(WORKERS)
    expect(duringDelay.filter((o) => o.connection === 'close')).toEqual([])
    const closedAt = await listenerClosedAt
    const afterDelay = outcomes.filter((o) => o.ok && o.sentAt > closedAt)
    expect(afterDelay.filter((o) => o.connection !== 'close')).toEqual([])
    // Idle through the whole delay: open while it lasted; closed once the load had stopped for the
    // grace (a client still sending may be about to reuse them), not at the budget.
    for (const at of idleClosedAt) {
      expect(at).toBeGreaterThanOrEqual(DELAY - 20)
      expect(at).toBeLessThan(DELAY + 2 * GRACE)
    }
    // The slow requests' connections and the workers' (told to leave on their next request).
    expect(httpDetails(report)).toMatchObject({ status: 'ok', destroyed: 0 })
    expect(httpDetails(report).drained).toBeGreaterThanOrEqual(3)
    expect(httpDetails(report).idleClosed).toBeGreaterThanOrEqual(IDLE)
    idle.agent.destroy()
    slowAgent.destroy()
    agent.destroy()
  })

  it('without a drain delay: no request lost, idle connections keep their grace', async () => {
    const grace = 400
    running = await startServer(kind, { http: { idleGrace: grace, timeout: 5_000 } })
    const idle = await idleConnections(running)
    const agent = keepAliveAgent(running)
    const outcomes: Outcome[] = []
    const workers = Array.from({ length: WORKERS }, () => load(running as Running, agent, outcomes, 0))
    while (outcomes.length < 4 * WORKERS) await new Promise((resolve) => setTimeout(resolve, 5))

    const stopping = running.stop()
    const idleClosedAt = await Promise.all(idle.sockets.map(closed))
    const report = await stopping
    await Promise.all(workers)

    expect(outcomes.filter((o) => !o.ok && o.code !== 'ECONNREFUSED')).toEqual([])
    for (const at of idleClosedAt) expect(at).toBeGreaterThanOrEqual(grace - 10)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', destroyed: 0 })
    expect(httpDetails(report).idleClosed).toBeGreaterThanOrEqual(IDLE)
    idle.agent.destroy()
    agent.destroy()
  })
})

describe('a drain delay shorter than the idle grace', () => {
  it('leaves idle connections the rest of the grace, counted from the stop', async () => {
    const running = await startServer('http', { drainDelay: 300, http: { idleGrace: 800, timeout: 5_000 } })
    const idle = await idleConnections(running)
    const stopping = running.stop()
    const idleClosedAt = await Promise.all(idle.sockets.map(closed))
    await stopping
    for (const at of idleClosedAt) {
      expect(at).toBeGreaterThanOrEqual(800 - 10)
      expect(at).toBeLessThan(300 + 800)
    }
    idle.agent.destroy()
  })
})

describe('HTTP/2 sessions behind a drain delay', () => {
  it('are served all through the delay, get the GOAWAY notice once the drain has closed the listener, and then close', async () => {
    const server = http2.createServer((_req, res) => res.end('hello'))
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(drainDelay(600))
    lifecycle.register(httpServer(server, { idleGrace: 600, timeout: 5_000 }))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const ask = (session: http2.ClientHttp2Session) =>
      new Promise<number>((resolve, reject) => {
        const stream = session.request({ ':path': '/' })
        stream.on('response', (headers) => resolve(Number(headers[':status'])))
        stream.on('error', reject)
        stream.resume()
      })
    const idle = http2.connect(url)
    expect(await ask(idle)).toBe(200)
    const start = performance.now()
    const noticeAt = new Promise<number>((resolve) =>
      idle.once('goaway', () => resolve(performance.now() - start)),
    )
    const closedAt = new Promise<number>((resolve) =>
      idle.once('close', () => resolve(performance.now() - start)),
    )
    const delaying = new Promise<void>((resolve) =>
      lifecycle.on('hook:start', (event) => {
        if (event.name === 'drain-delay') resolve()
      }),
    )
    const stopping = lifecycle.stop()

    // A session opened during the delay is served, and told nothing yet.
    await delaying
    const late = http2.connect(url)
    let lateNoticeAt = 0
    late.once('goaway', () => {
      lateNoticeAt = performance.now() - start
    })
    expect(await ask(late)).toBe(200)
    expect(await ask(late)).toBe(200)
    expect(lateNoticeAt).toBe(0)
    expect(await noticeAt).toBeGreaterThanOrEqual(600 - 20)
    expect(server.listening).toBe(false)
    const at = await closedAt
    expect(at).toBeGreaterThanOrEqual(600 - 20)
    expect(at).toBeLessThan(600 + 600 + 300)
    expect(httpDetails(await stopping)).toMatchObject({ status: 'ok', destroyed: 0 })
    expect(lateNoticeAt).toBeGreaterThanOrEqual(600 - 20)
    late.destroy()
  })
})
