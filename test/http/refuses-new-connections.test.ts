import { afterEach, describe, expect, it } from 'vitest'
import { connect, errorCode, get, keepAliveAgent } from './support/clients.js'
import { KINDS, type Running, startServer } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: a new connection after the stop begins', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('is refused (ECONNREFUSED), not accepted and reset, while a request is still draining', async () => {
    running = await startServer(kind)
    const agent = keepAliveAgent(running)
    const slow = get(running, '/slow?ms=300', agent)
    while (running.started.count < 1) await sleep(5)
    const stopping = running.stop()
    // The listener stays open only while Node takes what the kernel had already accepted (see
    // backlog.test.ts): a loop turn or two.
    const listening = performance.now()
    while ((running.server as { listening: boolean }).listening) await sleep(1)
    expect(performance.now() - listening).toBeLessThan(150)

    const error = await connect(running).then(
      (socket) => {
        socket.destroy()
        return 'accepted'
      },
      (e: unknown) => errorCode(e),
    )
    expect(error).toBe('ECONNREFUSED')
    expect((await slow).body).toBe('slow')
    await stopping
    agent.destroy()
  })
})
