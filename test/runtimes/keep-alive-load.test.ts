// node:http with httpServer() under keep-alive load (raw sockets and an http.Agent, every client
// with a request in flight at SIGTERM), on the runtime .ci/runtime-matrix names: no request that
// was written is lost, exit 0.
import { expect, test } from 'vitest'
import { assertCleanShutdown, testShutdown } from '../../src/testing/index.js'
import { command, RUNTIME } from './support.js'

test(`${RUNTIME}: node:http under keep-alive load: 0 failed after send, exit 0`, async () => {
  for (let run = 0; run < 3; run++) {
    const result = await testShutdown({
      command: command('service.mjs', 'node-http'),
      env: { SLOW_MS: '200' },
      path: '/slow',
      rawConnections: 3,
      agentSockets: 3,
      loadBefore: 500,
    })
    assertCleanShutdown(result, { minInFlightAtSignal: 1, maxTimeToExitMs: 10_000 })
    expect(result.failedAfterSignal, result.output).toBe(0)
    expect(result.exitCode).toBe(0)
  }
})
