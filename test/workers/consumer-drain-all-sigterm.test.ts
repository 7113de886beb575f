import { describe, expect, it } from 'vitest'
import { ALL, run } from './queue-fixture.js'

const sorted = (ids: number[]): number[] => [...ids].sort((a, b) => a - b)

describe("consumer({ drain: 'all' }): 1,000 items, SIGTERM mid-way (real process)", () => {
  it.each([
    { mode: 'push', env: { HIGH_WATER_MARK: '1000' } },
    { mode: 'pull', env: {} },
  ])(
    '$mode: processes every item still queued when the budget allows, hands nothing back',
    async ({ mode, env }) => {
      // 1,000 items of 1-4 ms, 4 at a time: about a second of work, a 10 s budget.
      const result = await run({ MODE: mode, CONCURRENCY: '4', MAX_MS: '4', DRAIN: 'all', ...env }, 50)
      expect(result.killedAfter).toBeGreaterThanOrEqual(50)
      expect(result.killedAfter).toBeLessThan(900)
      expect(result.code).toBe(0)
      expect(result.stats?.ok).toBe(true)
      expect(sorted(result.done)).toEqual(ALL)
      expect(result.left).toEqual([])
      expect(result.abandoned).toEqual([])
      const details = result.stats?.details
      // Everything after SIGTERM was the drain: more than the 4 handlers in flight at the signal.
      expect(details?.drained).toBeGreaterThan(4)
      expect(details).toMatchObject({ processed: 1_000, handedBack: 0, abandoned: 0, failed: 0 })
    },
  )

  it.each([
    { mode: 'push', env: { HIGH_WATER_MARK: '1000' } },
    { mode: 'pull', env: {} },
  ])(
    '$mode: hands back what it could not start within the budget, abandons what was running',
    async ({ mode, env }) => {
      // 1,000 items of 1-40 ms, 2 at a time (about 10 s of work) against a 400 ms budget.
      const result = await run(
        { MODE: mode, CONCURRENCY: '2', MAX_MS: '40', DRAIN: 'all', TIMEOUT: '400', ...env },
        10,
      )
      // The budget ran out: the stop is not ok, so handleSignals exits 1.
      expect(result.code).toBe(1)
      expect(result.stats?.ok).toBe(false)
      const details = result.stats?.details
      expect(details?.abandoned).toBe(result.abandoned.length)
      expect(result.abandoned.length).toBeGreaterThan(0)
      expect(result.abandoned.length).toBeLessThanOrEqual(2)
      // Drained past the handlers in flight at SIGTERM, then stopped: the rest is back in the queue.
      expect(details?.drained).toBeGreaterThan(2)
      expect(result.left.length).toBeGreaterThan(500)
      if (mode === 'push') expect(details?.handedBack).toBe(result.stats?.requeued)
      // Each item exactly once: processed, abandoned (cut short by its signal) or back in the queue.
      const all = [...result.done, ...result.abandoned, ...result.left]
      expect(new Set(all).size).toBe(all.length)
      expect(sorted(all)).toEqual(ALL)
      // The report is taken at the abort: the handlers that wrote `done` then had finished, give or
      // take the (at most 2) whose ack was still on its way.
      expect(details?.processed).toBeLessThanOrEqual(result.done.length)
      expect(details?.processed).toBeGreaterThanOrEqual(result.done.length - 2)
    },
  )
})
