import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const fixture = fileURLToPath(new URL('../fixtures/workers/in-memory-queue.ts', import.meta.url))
const ALL = Array.from({ length: 1_000 }, (_, id) => id)

interface Run {
  code: number | null
  done: number[]
  left: number[]
  stats: { ok: boolean; requeued: number; details: Record<string, number> } | undefined
  killedAfter: number
}

/** Spawns the fixture, sends SIGTERM once `killAfter` items are done, and collects what it wrote. */
function run(env: Record<string, string>, killAfter: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const done: number[] = []
    let left: number[] = []
    let stats: Run['stats']
    let killedAfter = -1
    let buffered = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('done ')) done.push(Number(line.slice(5)))
        else if (line.startsWith('left ')) left = JSON.parse(line.slice(5)) as number[]
        else if (line.startsWith('stats ')) stats = JSON.parse(line.slice(6)) as Run['stats']
        if (killedAfter < 0 && done.length >= killAfter) {
          killedAfter = done.length
          child.kill('SIGTERM')
        }
      }
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the fixture did not exit (env ${JSON.stringify(env)}, ${done.length} done)`))
    }, 15_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, done, left, stats, killedAfter })
    })
  })
}

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
