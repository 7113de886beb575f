import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const FIXTURES = fileURLToPath(new URL('../fixtures/services/', import.meta.url))

/** A fixture running in its own process, with its stdout split in lines. */
export interface Fixture {
  readonly child: ChildProcess
  readonly lines: string[]
  /** Resolves with the first line that matches (or rejects when the process ends first). */
  line(match: (line: string) => boolean, ms?: number): Promise<string>
  /** Resolves when the process ends, with how long it took after `since` (default: the spawn). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  stderr(): string
}

/** Runs `test/fixtures/services/<name>.ts` with `node --import tsx`. */
export function runFixture(name: string, args: readonly string[] = []): Fixture {
  const child = spawn(process.execPath, ['--import', 'tsx', `${FIXTURES}${name}.ts`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let buffer = ''
  const waiters = new Set<() => void>()
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    lines.push(...parts)
    for (const waiter of waiters) waiter()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.once('exit', (code, signal) => {
        const at = performance.now()
        // Let the last stdout chunk arrive.
        child.stdout?.once('close', () => {
          for (const waiter of waiters) waiter()
          resolve({ code, signal, at })
        })
        if (child.stdout?.closed ?? true) resolve({ code, signal, at })
      })
    },
  )
  const line = (match: (line: string) => boolean, ms = 30_000): Promise<string> =>
    new Promise((resolve, reject) => {
      let ended = false
      const check = (): void => {
        const found = lines.find(match)
        if (found !== undefined) {
          finish()
          resolve(found)
        } else if (ended) {
          finish()
          reject(
            new Error(
              `${name} ended without the expected line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          )
        }
      }
      const timer = setTimeout(() => {
        finish()
        reject(
          new Error(
            `${name}: no expected line within ${ms} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
          ),
        )
      }, ms)
      const finish = (): void => {
        clearTimeout(timer)
        waiters.delete(check)
      }
      exited.then(() => {
        ended = true
        check()
      })
      waiters.add(check)
      check()
    })
  return { child, lines, line, exited, stderr: () => stderr }
}

/** Resolves with the process's end, or rejects (and kills it) when it outlives `ms`. */
export async function exitWithin(
  fixture: Fixture,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      fixture.child.kill('SIGKILL')
      reject(
        new Error(
          `the process did not exit on its own within ${ms} ms; stdout:\n${fixture.lines.join('\n')}\nstderr:\n${fixture.stderr()}`,
        ),
      )
    }, ms)
  })
  try {
    return await Promise.race([fixture.exited, late])
  } finally {
    clearTimeout(timer)
  }
}

/** The JSON object a fixture printed on a line that starts with `prefix`. */
export function jsonLine<T>(fixture: Fixture, prefix: string): T {
  const line = fixture.lines.find((l) => l.startsWith(prefix))
  if (line === undefined) {
    throw new Error(
      `no \`${prefix}\` line; stdout:\n${fixture.lines.join('\n')}\nstderr:\n${fixture.stderr()}`,
    )
  }
  return JSON.parse(line.slice(prefix.length)) as T
}
