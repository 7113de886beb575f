import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root: examples run from here, so tsx maps `graceful-lifecycle` to `src/`. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** An example running as its own process, as `node --import tsx <file>` from the repository root. */
export interface Child {
  readonly process: ChildProcess
  readonly lines: string[]
  stdout(): string
  stderr(): string
  /** Resolves with the first stdout line matching `pattern`; rejects when the process ends first or after `ms`. */
  line(pattern: RegExp, ms?: number): Promise<string>
  /** The port of the first `http://localhost:<port>` (or `ws://…`) the process printed. */
  port(ms?: number): Promise<number>
  kill(signal: NodeJS.Signals): void
  /** Sends `signal` to the child's whole process group (with `detached`): what a terminal's Ctrl+C does. */
  killGroup(signal: NodeJS.Signals): void
  /** Resolves once the process ended and its output is closed; kills it and rejects after `ms`. */
  exit(ms?: number): Promise<Exit>
}

export function run(
  file: string,
  options: {
    args?: readonly string[]
    env?: Record<string, string>
    /** Run this instead of `node --import tsx <file>`. */
    command?: readonly string[]
    /** In a process group of its own, as a terminal runs a foreground job. */
    detached?: boolean
  } = {},
): Child {
  const command = options.command ?? [process.execPath, '--import', 'tsx', file, ...(options.args ?? [])]
  const [executable = process.execPath, ...args] = command
  const child = spawn(executable, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
  const lines: string[] = []
  let stdout = ''
  let stderr = ''
  let buffer = ''
  const waiters = new Set<() => void>()
  const wake = (): void => {
    for (const waiter of waiters) waiter()
  }
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    lines.push(...parts)
    wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  let ended = false
  const exited = new Promise<Exit>((resolve) => {
    let result: Exit = { code: null, signal: null }
    child.once('exit', (code, signal) => {
      result = { code, signal }
    })
    child.once('close', () => {
      if (buffer !== '') lines.push(buffer)
      ended = true
      wake()
      resolve(result)
    })
  })
  const describe = (): string => `${file}\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`
  const line = (pattern: RegExp, ms = 30_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no line matching ${pattern} within ${ms} ms: ${describe()}`))
      }, ms)
      const check = (): void => {
        const found = lines.find((l) => pattern.test(l))
        if (found === undefined && !ended) return
        clearTimeout(timer)
        waiters.delete(check)
        if (found === undefined) reject(new Error(`ended without a line matching ${pattern}: ${describe()}`))
        else resolve(found)
      }
      waiters.add(check)
      check()
    })
  return {
    process: child,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    line,
    port: async (ms) =>
      Number(/(?:http|ws):\/\/localhost:(\d+)/.exec(await line(/(?:http|ws):\/\/localhost:\d+/, ms))?.[1]),
    kill: (signal) => {
      child.kill(signal)
    },
    killGroup: (signal) => {
      if (child.pid === undefined) throw new Error(`${file} has no pid`)
      process.kill(-child.pid, signal)
    },
    exit: async (ms = 30_000) => {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`still running ${ms} ms later: ${describe()}`))
        }, ms)
      })
      try {
        return await Promise.race([exited, late])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
