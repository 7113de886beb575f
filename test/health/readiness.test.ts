import { afterEach, describe, expect, it } from 'vitest'
import { connect, get, keepAliveAgent } from '../http/support/clients.js'
import { KINDS, type Running, startServer } from '../http/support/servers.js'

describe.each(KINDS)('%s: readiness', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('answers 200 while running and 503 from the moment a stop begins, while the drain delay keeps serving', async () => {
    running = await startServer(kind, { drainDelay: 300 })
    const agent = keepAliveAgent(running)
    expect((await get(running, '/ready', agent)).status).toBe(200)

    const start = performance.now()
    const stopping = running.stop()
    expect(running.lifecycle.state).toBe('stopping')
    const ready = await get(running, '/ready', agent)
    const live = await get(running, '/live', agent)
    // During the drain delay the listener still accepts: load balancers may still send traffic.
    const socket = await connect(running)
    socket.destroy()
    const hello = await get(running, '/hello', agent)
    expect(performance.now() - start).toBeLessThan(300)

    expect(ready.status).toBe(503)
    expect(live.status).toBe(200)
    expect(hello.body).toBe('hello')
    const report = await stopping
    expect(performance.now() - start).toBeGreaterThanOrEqual(295)
    expect(report.phases.map((phase) => phase.name)).toEqual(['DRAIN', 'INGRESS'])
    agent.destroy()
  })
})
