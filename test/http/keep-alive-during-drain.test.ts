import { afterEach, describe, expect, it } from 'vitest'
import { get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: a request on an open keep-alive connection during the drain', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('on an idle connection, gets a full response with `Connection: close`, not ECONNRESET', async () => {
    running = await startServer(kind)
    const agent = keepAliveAgent(running, 1)
    await get(running, '/hello', agent)
    const stopping = running.stop()
    await sleep(20)
    const reply = await get(running, '/hello', agent)
    expect(reply).toMatchObject({ status: 200, body: 'hello', reusedSocket: true })
    expect(reply.headers.connection).toBe('close')
    const report = await stopping
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 1, drained: 1, requests: 1 })
    agent.destroy()
  })

  it('queued behind one in flight, is answered too (the first response already says close)', async () => {
    running = await startServer(kind)
    const agent = keepAliveAgent(running, 1)
    await get(running, '/hello', agent)
    const first = get(running, '/slow?ms=200', agent)
    while (running.started.count < 2) await sleep(5)
    const stopping = running.stop()
    // The agent holds this one until the first response; that one closes the connection, so it
    // goes out on a new connection, which is refused: a refusal before sending, never a reset.
    const second = get(running, '/hello', agent).then(
      (reply) => reply.body,
      (error: { code?: string }) => error.code,
    )
    expect((await first).headers.connection).toBe('close')
    expect(await second).toBe('ECONNREFUSED')
    await stopping
    agent.destroy()
  })
})
