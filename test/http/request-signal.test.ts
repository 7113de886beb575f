import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { requestSignal } from '../../src/http/index.js'
import { get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer, TEST_IDLE_GRACE } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: requestSignal(req)', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('aborts `requestAbortLead` ms before the budget ends, so a server-sent-event stream ends cleanly', async () => {
    running = await startServer(kind, { http: { timeout: 1_000, requestAbortLead: 700 } })
    const agent = keepAliveAgent(running)
    const events = get(running, '/events', agent)
    while (running.started.count < 1) await sleep(5)

    const start = performance.now()
    const stopping = running.stop()
    const reply = await events
    const ended = performance.now() - start
    const report = await stopping

    expect(reply.body).toBe('data: hello\n\nevent: bye\ndata: draining\n\n')
    // At 300 ms: not at the drain's start (0), nor at its end (1000), however busy the machine.
    expect(ended).toBeGreaterThanOrEqual(300 - 10)
    expect(ended).toBeLessThan(700)
    // Its headers went out before the drain, with keep-alive: the connection gets the idle grace after it.
    expect(performance.now() - start).toBeGreaterThanOrEqual(300 + TEST_IDLE_GRACE - 10)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', drained: 1, destroyed: 0, requests: 1 })
    agent.destroy()
  })

  it('aborts the moment the drain begins when the lead is as long as the budget', async () => {
    running = await startServer(kind, { http: { timeout: 5_000, requestAbortLead: 5_000 } })
    const agent = keepAliveAgent(running)
    const events = get(running, '/events', agent)
    while (running.started.count < 1) await sleep(5)
    const start = performance.now()
    const stopping = running.stop()
    expect((await events).body).toContain('event: bye')
    // Not at the 5 s budget: at once (a busy machine's loop turns stay far below half of it).
    expect(performance.now() - start).toBeLessThan(2_500)
    await stopping
    agent.destroy()
  })
})

describe('requestSignal()', () => {
  it('throws a TypeError for a request of a server that httpServer() does not track', async () => {
    let thrown: unknown
    const server = http.createServer((req, res) => {
      try {
        requestSignal(req)
      } catch (error) {
        thrown = error
      }
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => http.get({ port, host: '127.0.0.1', agent: false }, resolve))
    await new Promise((resolve) => server.close(resolve))
    expect(thrown).toBeInstanceOf(TypeError)
    expect((thrown as Error).message).toMatch(
      /^Expected `req` of `requestSignal\(\)` to be a request of a server/,
    )
  })
})
