import { expect } from 'vitest'
import { assertCleanShutdown, type ShutdownTestResult } from '../../src/testing/index.js'

export async function until(what: string, output: () => string, ms: number): Promise<void> {
  const deadline = performance.now() + ms
  while (!output().includes(what)) {
    if (performance.now() > deadline) throw new Error(`no "${what}" within ${ms} ms:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Nothing lost before the signal (the reload), nothing lost after it on a connection open at the
 * signal. What the stop can lose is a connection the client opens after it, that the primary
 * accepts just as the last worker leaves: node:cluster's round-robin handle then closes it
 * (docs/cluster.md, "The shared listener"). Those are counted, never hidden.
 */
export function assertNothingLostButLateConnections(result: ShutdownTestResult): void {
  const late = result.failures.filter(
    (failure) => failure.connectedMs !== undefined && failure.connectedMs >= 0,
  )
  expect(result.failed - result.failedAfterSignal).toBe(0)
  expect(result.failures.filter((failure) => !late.includes(failure))).toEqual([])
  for (const failure of late) expect(failure.outcome).toMatch(/^(reset|hangup)$/)
  assertCleanShutdown(result, { maxFailed: late.length })
}
