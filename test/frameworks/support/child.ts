import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const fixtures = fileURLToPath(new URL('../../fixtures/frameworks/', import.meta.url))

export interface Child {
  readonly stdout: () => string
  readonly stderr: () => string
  /** The port the fixture printed (`port=N`) before `ready`. */
  readonly ready: Promise<number>
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  /** Sends `signal`; returns performance.now() at that moment. */
  readonly kill: (signal: NodeJS.Signals) => number
}

/** A file in a fresh temporary folder, for the fixture's hooks to append to. */
export function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'gl-frameworks-')), 'hooks.log')
}

/** What the fixture's hooks appended to `file`. */
export function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/** Runs `test/fixtures/frameworks/<name>.ts` with tsx as its own process. */
export function runFixture(name: string, args: readonly string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, `${name}.ts`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  let onReady: ((port: number) => void) | undefined
  const ready = new Promise<number>((resolve, reject) => {
    onReady = resolve
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${stdout}\n${stderr}`)),
    )
  })
  ready.catch(() => {})
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk
    const port = /^port=(\d+)$/m.exec(stdout)
    if (port && /^ready$/m.test(stdout)) onReady?.(Number(port[1]))
  })
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    let exited = { code: null as number | null, signal: null as NodeJS.Signals | null, at: 0 }
    child.once('exit', (code, signal) => {
      exited = { code, signal, at: performance.now() }
    })
    child.once('close', () => resolve(exited))
  })
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    ready,
    exit,
    kill: (signal) => {
      const at = performance.now()
      child.kill(signal)
      return at
    },
  }
}
