import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { assertCleanShutdown, testShutdown } from '../../src/testing/index.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = (file: string, ...args: string[]) => [process.execPath, '--import', 'tsx', file, ...args]

describe('testShutdown() on the examples', () => {
  it('examples/http: requests in flight at SIGTERM are answered, none is lost, exit 0', async () => {
    const result = await testShutdown({
      command: tsx('examples/http/index.ts', '--serve'),
      cwd: root,
      env: { PORT: '0' },
      path: '/hello', // sleeps 2 s: every client has one in flight at the signal
      loadBefore: 800,
    })
    assertCleanShutdown(result, { minInFlightAtSignal: 1 })
    expect(result.answeredAfterSignal).toBeGreaterThanOrEqual(1)
    expect(result.byClient.raw.ok + result.byClient.agent.ok).toBe(result.answered)
    expect(result.byClient.raw.ok).toBeGreaterThanOrEqual(1)
    expect(result.byClient.agent.ok).toBeGreaterThanOrEqual(1)
    expect(result.reportText).toMatch(/^graceful-lifecycle: stopped in .*: ok/)
    expect(result.reportText).toMatch(/http\s+ok/)
  }, 60_000)

  it('examples/signals: its slow WORKERS hook runs after the HTTP stop, and it exits 0', async () => {
    const { freePort } = await import('./free-port.js')
    const port = await freePort()
    const result = await testShutdown({
      command: tsx('examples/signals/index.ts'),
      cwd: root,
      env: { PORT: String(port) },
      port,
      loadBefore: 500,
    })
    expect(result.exitCode).toBe(0)
    expect(result.answered).toBeGreaterThan(0)
    // flush-queue: 20 × 100 ms after the listener closed; the process is still there meanwhile.
    expect(result.timeToExitMs).toBeGreaterThanOrEqual(1_500)
    expect(result.reportText).toMatch(/flush-queue\s+ok/)
    assertCleanShutdown(result)
  }, 60_000)
})
