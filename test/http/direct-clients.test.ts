/**
 * Clients that connect straight to the service, no balancer: the README's service shape (plain
 * `node:http`, `health()` readiness, `drainDelay()`, `httpServer()`, `handleSignals()`) in a real
 * child process, ~50 keep-alive loops on one `http.Agent` without retries (GETs, POSTs each
 * writing its id once, loops idle longer than the idle grace between requests, requests longer
 * than the drain delay), SIGTERM while they run. No request that was written may fail: a
 * connection refused before anything was written is the only failure allowed. Before the fix,
 * every response of the drain delay said `Connection: close`, every client reconnected after each
 * request, and closing the listener reset those waiting in its backlog (8–48 a run).
 * `npm run test:direct` runs the same with more runs, for figures.
 */
import { describe, expect, it } from 'vitest'
import { type DirectOptions, direct, directLine } from '../rollout/direct.js'

const LOAD: Omit<DirectOptions, 'drainDelayMs'> = {
  mixedLoops: 44,
  idleLoops: 3,
  idlePauseMs: 600,
  slowLoops: 3,
  slowMs: 1_500,
  warmMs: 1_500,
}

describe.each([1_000, 0])('direct keep-alive clients, drainDelay(%i)', (drainDelayMs) => {
  it('no request that was written fails, every POST is written once, the stop is clean', async () => {
    const result = await direct('graceful', { ...LOAD, drainDelayMs })
    const summary = directLine(result)
    expect(result.lost, summary).toEqual([])
    expect(result.duplicated, summary).toBe(0)
    expect(result.answeredNotWritten, summary).toBe(0)
    expect(result.exitCode, summary).toBe(0)
    // It served through the stop and was then refused: there was something to lose.
    expect(result.afterSigterm, summary).toBeGreaterThan(0)
    expect(result.refused, summary).toBeGreaterThan(0)
  }, 30_000)
})
