import { afterEach, describe, expect, it } from 'vitest'
import { errorCode, get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: a request that never ends', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('is destroyed when the budget runs out, and the stop still completes', async () => {
    running = await startServer(kind, { http: { timeout: 400 } })
    const agent = keepAliveAgent(running)
    const hung = get(running, '/hang', agent).then(
      () => 'answered',
      (error: unknown) => errorCode(error),
    )
    await get(running, '/hello', agent)
    while (running.started.count < 2) await sleep(5)

    const start = performance.now()
    const report = await running.stop()
    const elapsed = performance.now() - start

    expect(await hung).toBe('ECONNRESET')
    expect(elapsed).toBeGreaterThanOrEqual(395)
    expect(elapsed).toBeLessThan(400 + 150)
    expect(report.ok).toBe(false)
    expect(httpDetails(report)).toMatchObject({
      status: 'timeout',
      connections: 2,
      idleClosed: 1,
      destroyed: 1,
    })
    agent.destroy()
  })
})
