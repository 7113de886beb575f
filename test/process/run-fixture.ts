import { type ChildProcess, fork, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const fixtures = fileURLToPath(new URL('../fixtures/process/', import.meta.url))

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** performance.now() when the child exited. */
  readonly at: number
}

export interface Fixture {
  readonly child: ChildProcess
  /** Everything the child wrote so far. */
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves when the child printed `ready`; rejects if it exits first. */
  readonly ready: Promise<void>
  /** Resolves once the child exited and its output is closed. */
  readonly exit: Promise<Exit>
  /** Sends `signal` and returns performance.now() at the moment it was sent. */
  readonly kill: (signal: NodeJS.Signals) => number
}

/** A file in a fresh temporary folder, for hooks to append to. */
export function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'gl-process-')), 'hooks.log')
}

/** The lines a fixture's hooks appended to `file` (none when it does not exist). */
export function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/** Runs `test/fixtures/process/<name>.ts` with tsx, as its own process; `ipc` forks it. */
export function runFixture(
  name: string,
  args: readonly string[] = [],
  options: { ipc?: boolean } = {},
): Fixture {
  const path = join(fixtures, `${name}.ts`)
  const child = options.ipc
    ? fork(path, [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8')
  child.stderr?.setEncoding('utf8')
  let onReady: (() => void) | undefined
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${stdout}\n${stderr}`)),
    )
  })
  ready.catch(() => {})
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk
    if (/^ready$/m.test(stdout)) onReady?.()
  })
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<Exit>((resolve) => {
    let exited: Omit<Exit, 'at'> & { at: number }
    child.once('exit', (code, signal) => {
      exited = { code, signal, at: performance.now() }
    })
    child.once('close', () => resolve(exited))
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    ready,
    exit,
    kill: (signal) => {
      const at = performance.now()
      if (child.pid === undefined) throw new Error(`${name} has no pid`)
      process.kill(child.pid, signal)
      return at
    },
  }
}

/** Resolves once the child's standard output (or error) matches `pattern`. */
export function printed(
  fixture: Fixture,
  pattern: RegExp,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<void> {
  const text = stream === 'stdout' ? fixture.stdout : fixture.stderr
  const source = fixture.child[stream]
  return new Promise((resolve) => {
    const check = (): void => {
      if (!pattern.test(text())) return
      source?.off('data', check)
      resolve()
    }
    source?.on('data', check)
    check()
  })
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
