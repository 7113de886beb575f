import { afterEach, describe, expect, it } from 'vitest'
import { agentSockets, closed, get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer, TEST_IDLE_GRACE } from './support/servers.js'

describe.each(KINDS)('%s: idle keep-alive connections', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('are closed at the end of the idle grace, and the stop ends with them', async () => {
    running = await startServer(kind)
    const agent = keepAliveAgent(running)
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => get(running as Running, '/hello', agent)),
    )
    expect(replies.map((reply) => reply.headers.connection)).toEqual(Array(5).fill('keep-alive'))
    const sockets = agentSockets(agent)
    expect(sockets).toHaveLength(5)

    const start = performance.now()
    const report = await running.stop()
    const elapsed = performance.now() - start
    await Promise.all(sockets.map(closed))

    expect(elapsed).toBeGreaterThanOrEqual(TEST_IDLE_GRACE - 5)
    expect(elapsed).toBeLessThan(TEST_IDLE_GRACE + 250)
    expect(httpDetails(report)).toMatchObject({
      status: 'ok',
      connections: 5,
      idleClosed: 5,
      drained: 0,
      destroyed: 0,
    })
    agent.destroy()
  })

  it('close at once when the idle grace is 0', async () => {
    running = await startServer(kind, { http: { idleGrace: 0, timeout: 5_000 } })
    const agent = keepAliveAgent(running)
    await Promise.all(Array.from({ length: 3 }, () => get(running as Running, '/hello', agent)))
    const start = performance.now()
    const report = await running.stop()
    // Generous for a loaded CI machine; what matters is that nothing waits for a grace or the budget.
    expect(performance.now() - start).toBeLessThan(400)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', idleClosed: 3, destroyed: 0 })
    agent.destroy()
  })
})
