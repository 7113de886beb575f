import { type ChildProcess, spawn } from 'node:child_process'
import { connect } from 'node:net'
import { TestSetupError } from '../core/errors.js'
import type { Resolved } from './options.js'

/** `localhost:3000`, `127.0.0.1:3000`, `[::]:3000`, `0.0.0.0:3000` in what the service prints. */
const PORT_IN_OUTPUT = /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|::):(\d{1,5})\b/

/** @internal A service started as a command: its port, its signal, its exit. */
export class CommandTarget {
  readonly #child: ChildProcess
  readonly #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  #output = ''

  constructor(options: Resolved) {
    const [file, ...args] = options.command ?? []
    this.#child = spawn(file ?? '', args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8')
      stream?.on('data', (chunk: string) => {
        this.#output += chunk
      })
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
      (resolve) => {
        this.#child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }))
        this.#child.once('error', (error) => {
          this.#output += `\n${String(error)}`
          resolve({ code: null, signal: null, at: performance.now() })
        })
      },
    )
    // 'close': stdout and stderr have ended too, so the output holds the last log lines.
    const closed = new Promise<void>((resolve) => this.#child.once('close', () => resolve()))
    this.#exit = exited.then(async (exit) => {
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))])
      return exit
    })
  }

  get output(): string {
    return this.#output
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  get exited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null
  }

  /** Resolves with the port once a connection to it succeeds; rejects when the process exits first or `ms` passes. */
  async port(host: string, fixed: number | undefined, ms: number): Promise<number> {
    const deadline = performance.now() + ms
    for (;;) {
      if (this.exited) throw new TestSetupError(`the command exited before it listened:\n${this.#output}`)
      const port = fixed ?? Number(PORT_IN_OUTPUT.exec(this.#output)?.[1] ?? Number.NaN)
      if (Number.isInteger(port) && port > 0 && (await reachable(host, port))) return port
      if (performance.now() > deadline) {
        this.kill()
        throw new TestSetupError(
          `the command did not listen within ${ms} ms${fixed ? ` on port ${fixed}` : ' (no host:port in its output)'}:\n${this.#output}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  signal(signal: NodeJS.Signals): number {
    const at = performance.now()
    this.#child.kill(signal)
    return at
  }

  /** Resolves with the exit; after `ms`, kills the process and says it timed out. */
  async waitExit(
    ms: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number; timedOut: boolean }> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ms)
    })
    const first = await Promise.race([this.#exit, late])
    clearTimeout(timer)
    if (first !== 'late') return { ...first, timedOut: false }
    this.kill()
    return { ...(await this.#exit), timedOut: true }
  }

  kill(): void {
    if (!this.exited) this.#child.kill('SIGKILL')
  }
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** @internal The report a graceful-lifecycle service logged (its table), when the output holds one. */
export function reportIn(output: string): string | undefined {
  const start = output.lastIndexOf('graceful-lifecycle: stopped in')
  if (start === -1) return undefined
  const rest = output.slice(start)
  const end = rest.search(/\n(?:graceful-lifecycle: exiting|\S*\{)/)
  return (end === -1 ? rest : rest.slice(0, end)).trimEnd()
}
