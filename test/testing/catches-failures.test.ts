import { AssertionError } from 'node:assert'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'
import { assertCleanShutdown, testShutdown } from '../../src/testing/index.js'
import { spawnAsync } from '../core/spawn.js'

const fixture = fileURLToPath(new URL('../fixtures/testing/abrupt.ts', import.meta.url))

function slowServer(ms: number) {
  return createServer((_req, res) => {
    setTimeout(() => res.end('ok'), ms)
  })
}

describe('testShutdown() sees what a clean shutdown must not do', () => {
  it('counts the requests a process that exits at SIGTERM loses, and the assertion names them', async () => {
    const result = await testShutdown({
      command: [process.execPath, '--import', 'tsx', fixture, 'exit'],
      loadBefore: 500,
    })
    expect(result.inFlightAtSignal).toBeGreaterThanOrEqual(1)
    expect(result.failedAfterSignal).toBeGreaterThanOrEqual(1)
    expect(result.exitCode).toBe(0)
    expect(result.reportText).toBeUndefined()
    expect(() => assertCleanShutdown(result)).toThrow(AssertionError)
    expect(() => assertCleanShutdown(result)).toThrow(
      /requests were lost or answered with a 5xx[\s\S]*failed requests/,
    )
  }, 30_000)

  it('kills a process that ignores SIGTERM at `timeout`, and says so', async () => {
    const result = await testShutdown({
      command: [process.execPath, '--import', 'tsx', fixture, 'ignore'],
      loadBefore: 200,
      timeout: 1_000,
    })
    expect(result.timedOut).toBe(true)
    expect(result.exitSignal).toBe('SIGKILL')
    expect(result.output).toMatch(/SIGTERM ignored/)
    expect(() => assertCleanShutdown(result)).toThrow(/did not exit within the timeout/)
  }, 30_000)

  it('in process: a lifecycle with httpServer() drains, with both clients answered after the stop began', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const server = slowServer(200)
    lifecycle.register(httpServer(server, { timeout: 5_000 }))
    const result = await testShutdown({
      lifecycle,
      server,
      loadBefore: 300,
      rawConnections: 3,
      agentSockets: 3,
    })
    assertCleanShutdown(result, { minInFlightAtSignal: 1, maxTimeToExitMs: 10_000 })
    expect(result.report?.ok).toBe(true)
    expect(result.report?.reason).toEqual({ type: 'signal', signal: 'SIGTERM' })
    expect(result.exitCode).toBe(0)
    expect(result.stillListening).toBe(false)
    expect(result.answeredAfterSignal).toBeGreaterThanOrEqual(1)
  })

  it('in process: a stop that cuts connections, or leaves the server listening, fails the assertion', async () => {
    const brutal = new Lifecycle({ logger: false })
    const server = slowServer(200)
    brutal.onStop('brutal', () => {
      server.close()
      server.closeAllConnections()
    })
    const cut = await testShutdown({ lifecycle: brutal, server, loadBefore: 300 })
    expect(cut.failedAfterSignal).toBeGreaterThanOrEqual(1)
    expect(() => assertCleanShutdown(cut)).toThrow(/requests were lost/)

    const forgetful = new Lifecycle({ logger: false })
    const open = slowServer(10)
    const left = await testShutdown({ lifecycle: forgetful, server: open, loadBefore: 100 })
    open.close()
    open.closeAllConnections()
    expect(left.stillListening).toBe(true)
    expect(() => assertCleanShutdown(left)).toThrow(/still listens after the stop/)
  })

  it('works under node:test with no vitest at run time', async () => {
    const run = await spawnAsync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        // TAP whatever the Node: from 23 on, the default reporter is `spec` even into a pipe.
        '--test-reporter=tap',
        fileURLToPath(new URL('../fixtures/testing/node-test.ts', import.meta.url)),
      ],
      { timeout: 60_000 },
    )
    expect(run.stdout).toMatch(/# pass 2/)
    expect(run.status).toBe(0)
  }, 60_000)

  it('throws a TypeError for bad options, at the call', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const server = slowServer(1)
    await expect(testShutdown({} as never)).rejects.toThrow(
      /^Expected `options` of `testShutdown\(\)` to be a `command`, or a `lifecycle` and a `server`/,
    )
    await expect(testShutdown({ command: ['x'], lifecycle, server })).rejects.toThrow(/not both/)
    await expect(testShutdown({ command: [] })).rejects.toThrow(
      /^Expected `command` of `testShutdown\(\)` to be a non-empty array/,
    )
    await expect(testShutdown({ command: ['node'], port: 70_000 })).rejects.toThrow(/`port`/)
    await expect(testShutdown({ lifecycle, server, path: 'hello' })).rejects.toThrow(/beginning with `\/`/)
    await expect(testShutdown({ lifecycle, server, rawConnections: 0, agentSockets: 0 })).rejects.toThrow(
      /at least one client/,
    )
    await expect(testShutdown({ lifecycle, server, signal: 'TERM' as never })).rejects.toThrow(/`signal`/)
    await expect(testShutdown({ lifecycle, server, loadBefore: -1 })).rejects.toThrow(/`loadBefore`/)
    await expect(testShutdown({ lifecycle, server, retries: 1 } as never)).rejects.toThrow(
      /^Unknown option `retries`/,
    )
    await expect(testShutdown({ lifecycle: {} as never, server })).rejects.toThrow(/`lifecycle`/)
    expect(() => assertCleanShutdown({} as never)).toThrow(/^Expected `result` of `assertCleanShutdown\(\)`/)
    expect(server.listening).toBe(false)
  })
})

describe('testShutdown() sends the signal while a request is in flight', () => {
  it('waits past `loadBefore` for the next request when every client is between two', async () => {
    // Answers at once, and each client pauses 300 ms between requests: when `loadBefore` (200 ms)
    // is up, every client is pausing. The signal waits for the next request to be sent (at about
    // 300 ms, within `loadBefore` more), so that request is in flight at the signal.
    const lifecycle = new Lifecycle({ logger: false })
    const server = createServer((_req, res) => res.end('ok'))
    lifecycle.register(httpServer(server, { timeout: 5_000 }))
    const result = await testShutdown({ lifecycle, server, loadBefore: 200, pauseMs: 300 })
    expect(result.inFlightAtSignal).toBeGreaterThanOrEqual(1)
    assertCleanShutdown(result, { minInFlightAtSignal: 1 })
  }, 30_000)
})
