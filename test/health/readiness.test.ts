import { afterEach, describe, expect, it } from 'vitest'
import { connect, get, keepAliveAgent } from '../http/support/clients.js'
import { KINDS, type Running, startServer } from '../http/support/servers.js'

describe.each(KINDS)('%s: readiness', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('answers 200 while running and 503 from the moment a stop begins, while the drain delay keeps serving', async () => {
    // A drain delay no loaded machine outlasts, cut short by the test once it has asked: the
    // requests below are all made while the delay keeps the listener open.
    running = await startServer(kind, { drainDelay: 60_000 })
    const agent = keepAliveAgent(running)
    expect((await get(running, '/ready', agent)).status).toBe(200)

    const stopping = running.stop()
    expect(running.lifecycle.state).toBe('stopping')
    const ready = await get(running, '/ready', agent)
    const live = await get(running, '/live', agent)
    // During the drain delay the listener still accepts: load balancers may still send traffic.
    const socket = await connect(running)
    socket.destroy()
    const hello = await get(running, '/hello', agent)
    expect(running.lifecycle.running).toEqual(['drain-delay'])

    expect(ready.status).toBe(503)
    expect(live.status).toBe(200)
    expect(hello.body).toBe('hello')
    void running.lifecycle.forceStop()
    const report = await stopping
    expect(report.phases.map((phase) => phase.name)).toEqual(['DRAIN', 'INGRESS'])
    agent.destroy()
    // The forced stop skipped the drain: close what it would have.
    await new Promise((resolve) => running?.server.close(resolve))
  })
})
