import { describe, expect, it } from 'vitest'
import { ALL, run } from './queue-fixture.js'

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1))

describe('an in-memory queue of 1,000 items, SIGTERM mid-way (real process)', () => {
  // Random timings each run; each mode several times.
  const runs = (['pull', 'push', 'pull', 'push', 'pull', 'push'] as const).map((mode, index) => ({
    mode,
    index,
    // Bounded so that SIGTERM always lands mid-way: at least ~150 ms of work remain when it is sent.
    concurrency: randomInt(1, 8),
    maxMs: randomInt(2, 6),
    killAfter: randomInt(20, 400),
  }))

  it.each(runs)(
    'run $index ($mode, concurrency $concurrency, handlers 1-$maxMs ms, SIGTERM after $killAfter done): every item processed exactly once or handed back',
    async ({ mode, concurrency, maxMs, killAfter }) => {
      const result = await run(
        { MODE: mode, CONCURRENCY: String(concurrency), MAX_MS: String(maxMs) },
        killAfter,
      )
      expect(result.killedAfter).toBeGreaterThanOrEqual(killAfter)
      expect(result.code).toBe(0)
      expect(result.stats?.ok).toBe(true)
      // No item processed twice, none both processed and handed back, none lost.
      expect(new Set(result.done).size).toBe(result.done.length)
      expect(new Set(result.left).size).toBe(result.left.length)
      expect(result.done.filter((id) => result.left.includes(id))).toEqual([])
      expect([...result.done, ...result.left].sort((a, b) => a - b)).toEqual(ALL)
      // Stopped mid-way: some items were still queued, and the report's counts agree with the output.
      expect(result.left.length).toBeGreaterThan(0)
      const details = result.stats?.details
      expect(details?.processed).toBe(result.done.length)
      expect(details?.abandoned).toBe(0)
      expect(details?.failed).toBe(0)
      expect(details?.drained).toBeLessThanOrEqual(concurrency)
      expect(details?.handedBack).toBe(result.stats?.requeued)
    },
  )
})
