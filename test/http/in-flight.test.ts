import { afterEach, describe, expect, it } from 'vitest'
import { get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: requests in flight when the stop begins', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('all 50 complete, each with `Connection: close`, and each connection closes after it', async () => {
    // A grace and a budget far longer than the requests: ending at either cannot pass for the
    // last response, however slow a loaded machine is.
    running = await startServer(kind, { http: { idleGrace: 5_000, timeout: 10_000 } })
    const agent = keepAliveAgent(running)
    // Open the 50 connections first (TLS handshakes take a while), then start the slow requests on them.
    await Promise.all(Array.from({ length: 50 }, () => get(running as Running, '/hello', agent)))
    running.started.count = 0
    const replies = Array.from({ length: 50 }, () => get(running as Running, '/slow?ms=300', agent))
    while (running.started.count < 50) await sleep(5)

    const start = performance.now()
    const report = await running.stop()
    const elapsed = performance.now() - start
    const done = await Promise.all(replies)

    expect(done.map((reply) => [reply.status, reply.body, reply.headers.connection])).toEqual(
      Array(50).fill([200, 'slow', 'close']),
    )
    // The stop ends with the last response, not at an idle grace or a budget.
    expect(elapsed).toBeLessThan(3_000)
    expect(httpDetails(report)).toMatchObject({
      status: 'ok',
      connections: 50,
      drained: 50,
      idleClosed: 0,
      destroyed: 0,
      requests: 50,
    })
    agent.destroy()
  })
})
