import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The runtime the fixtures run on: set by .ci/runtime-matrix; this Node when run alone. */
export const RUNTIME = (process.env.GL_RUNTIME ?? 'node') as 'node' | 'bun' | 'deno'
const BIN = process.env.GL_RUNTIME_BIN ?? process.execPath

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))

if (!existsSync(`${ROOT}dist/index.js`))
  throw new Error('test/runtimes runs the built package: npm run build first')

/** The command that runs `fixture` (in test/runtimes/fixtures) on {@link RUNTIME}. */
export function command(fixture: string, ...args: string[]): string[] {
  const file = `${FIXTURES}${fixture}`
  // Deno asks for permissions; -A grants what a Node program has.
  return RUNTIME === 'deno' ? [BIN, 'run', '-A', file, ...args] : [BIN, file, ...args]
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** performance.now() at the exit. */
  readonly at: number
}

export interface Fixture {
  readonly child: ChildProcess
  output(): string
  /** Resolves with the first output line matching `pattern`; rejects when the process ends first. */
  line(pattern: RegExp): Promise<string>
  readonly exit: Promise<Exit>
  kill(signal: NodeJS.Signals): number
}

/** Runs a fixture on {@link RUNTIME}, from the fixtures folder, stdout and stderr collected. */
export function runFixture(fixture: string, args: string[] = [], env: Record<string, string> = {}): Fixture {
  const [bin = BIN, ...rest] = command(fixture, ...args)
  const child = spawn(bin, rest, {
    cwd: FIXTURES,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const waiters = new Set<() => void>()
  const append = (chunk: string): void => {
    output += chunk
    for (const wake of waiters) wake()
  }
  child.stdout?.setEncoding('utf8').on('data', append)
  child.stderr?.setEncoding('utf8').on('data', append)
  let ended = false
  const exit = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true
      for (const wake of waiters) wake()
      resolve({ code, signal, at: performance.now() })
    })
  })
  const line = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = output.split('\n').find((text) => pattern.test(text))
        if (found !== undefined) {
          waiters.delete(check)
          resolve(found)
        } else if (ended) {
          waiters.delete(check)
          reject(new Error(`${fixture} ended before printing ${pattern}:\n${output}`))
        }
      }
      waiters.add(check)
      check()
    })
  return {
    child,
    output: () => output,
    line,
    exit,
    kill: (signal) => {
      child.kill(signal)
      return performance.now()
    },
  }
}

/** The server kinds the service fixture can run on {@link RUNTIME}: node:http everywhere, plus its own. */
export const SERVER_KINDS: readonly string[] =
  RUNTIME === 'bun'
    ? ['node-http', 'bun-serve']
    : RUNTIME === 'deno'
      ? ['node-http', 'deno-serve']
      : ['node-http']
