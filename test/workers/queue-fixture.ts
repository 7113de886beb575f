import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const fixture = fileURLToPath(new URL('../fixtures/workers/in-memory-queue.ts', import.meta.url))

/** The ids 0..999 the fixture's queue starts with. */
export const ALL = Array.from({ length: 1_000 }, (_, id) => id)

/** What one run of the in-memory-queue fixture wrote, and how it exited. */
export interface Run {
  code: number | null
  done: number[]
  abandoned: number[]
  left: number[]
  stats: { ok: boolean; requeued: number; details: Record<string, number> } | undefined
  killedAfter: number
}

/** Spawns the fixture, sends SIGTERM once `killAfter` items are done, and collects what it wrote. */
export function run(env: Record<string, string>, killAfter: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const done: number[] = []
    const abandoned: number[] = []
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
        else if (line.startsWith('abandoned ')) abandoned.push(Number(line.slice(10)))
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
      resolve({ code, done, abandoned, left, stats, killedAfter })
    })
  })
}
