import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { testShutdown } from '../../src/testing/index.js'
import { assertNothingLostButLateConnections, until } from './support.js'

const fixture = fileURLToPath(new URL('../fixtures/cluster/server.ts', import.meta.url))

describe('clusterPrimary() under HTTP load through the shared port', () => {
  it('loses no request across a SIGHUP reload, none on an open connection at the SIGTERM stop, and prints one combined report', async () => {
    const result = await testShutdown({
      command: [process.execPath, '--import', 'tsx', fixture],
      env: { WORKERS: '2' },
      loadBefore: 500,
      during: async ({ pid, output }) => {
        process.kill(pid ?? 0, 'SIGHUP')
        await until('reloaded:', output, 40_000)
        await new Promise((resolve) => setTimeout(resolve, 300))
      },
      timeout: 30_000,
      startTimeout: 30_000,
    })
    assertNothingLostButLateConnections(result)
    const output = result.output
    // The reload replaced both workers, one at a time, each stopped cleanly.
    expect(output).toMatch(/cluster: reloaded: pid \d+ ok in \d+ ms \(http \d+\), exit 0; pid \d+ ok in/)
    // One report from the primary: its cluster hook with a line per worker (workers 3 and 4 after the reload).
    expect(result.reportText).toMatch(/^graceful-lifecycle: stopped in .*\(signal SIGTERM\): ok/)
    expect(result.reportText).toMatch(
      /cluster\s+ok .*workers=2 "worker 3"="pid \d+ ok in \d+ ms \(http \d+\), exit 0" "worker 4"="pid/,
    )
    expect(result.answered).toBeGreaterThan(50)
  }, 90_000)
})
