/** Parent side of `server.ts`: spawn a variant, learn its port, trigger it, time its exit. */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildServer } from './build.js'
import type { Variant } from './variants.js'

let compiled: string | undefined

/**
 * Compiles the fixture on first use (see build.ts). For experiments: `BENCH_HTTP_TSX=1` runs
 * server.ts through tsx instead; `BENCH_HTTP_SERVER_JS=<path>` runs an already compiled (e.g. patched) copy.
 */
function serverArgs(variant: Variant): string[] {
  // --expose-gc: the memory scenario collects garbage before it reads the heap.
  if (process.env.BENCH_HTTP_TSX === '1')
    return ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url)), variant]
  compiled ??= process.env.BENCH_HTTP_SERVER_JS ?? buildServer()
  return ['--expose-gc', compiled, variant]
}

export interface ServerStats {
  type: 'stats' | 'exit'
  started: number
  finished: number
  cpu: { user: number; system: number }
  details?: Record<string, unknown>
  /** at exit: ms since the last finished response / since the SIGTERM handler ran (server clock) */
  sinceLastFinishMs?: number
  sinceTriggerMs?: number
}

export class ServerProcess {
  readonly variant: Variant
  readonly port: number
  /** performance.now() when the child's exit was seen. */
  exitedAt: number | undefined
  /** The counts printed on exit, if the process exited on its own. */
  exitStats: ServerStats | undefined
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  readonly #closed: Promise<void>
  #waiters: Array<(stats: ServerStats) => void> = []
  #heapWaiters: Array<(heapUsed: number) => void> = []

  private constructor(variant: Variant, child: ChildProcess, port: number, exited: Promise<void>) {
    this.variant = variant
    this.#child = child
    this.port = port
    this.#exited = exited
    this.#closed = new Promise((resolve) => child.once('close', () => resolve()))
  }

  static start(variant: Variant): Promise<ServerProcess> {
    const child = spawn(process.execPath, serverArgs(variant), {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    return new Promise((resolve, reject) => {
      let server: ServerProcess | undefined
      let buffered = ''
      const exited = new Promise<void>((resolveExit) => {
        child.once('exit', (code, signal) => {
          const at = performance.now()
          if (server) server.exitedAt = at
          else reject(new Error(`server ${variant} exited before listening (${code ?? signal})`))
          resolveExit()
        })
      })
      child.stdout?.setEncoding('utf8')
      child.stdout?.on('data', (chunk: string) => {
        buffered += chunk
        let newline = buffered.indexOf('\n')
        while (newline !== -1) {
          const line = JSON.parse(buffered.slice(0, newline)) as {
            type: string
            port?: number
            heapUsed?: number
          }
          buffered = buffered.slice(newline + 1)
          newline = buffered.indexOf('\n')
          if (line.type === 'port' && line.port) {
            server = new ServerProcess(variant, child, line.port, exited)
            resolve(server)
          } else if (server && line.type === 'exit') server.exitStats = line as ServerStats
          else if (server && line.type === 'stats') server.#waiters.shift()?.(line as ServerStats)
          else if (server && line.type === 'heap') server.#heapWaiters.shift()?.(line.heapUsed ?? 0)
        }
      })
    })
  }

  get alive(): boolean {
    return this.exitedAt === undefined
  }

  /** Sends SIGTERM; returns performance.now() at the send. */
  trigger(): number {
    const at = performance.now()
    this.#child.kill('SIGTERM')
    return at
  }

  /** Resolves when the process has exited, or with `false` after `ms`. */
  async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    const result = await Promise.race([this.#exited.then(() => true as const), timeout])
    clearTimeout(timer)
    return result
  }

  /** The counts printed at exit (waits for stdout to drain); undefined when it was killed. */
  async finalStats(): Promise<ServerStats | undefined> {
    await this.#closed
    return this.exitStats
  }

  /** The live counts of a running server. */
  stats(): Promise<ServerStats> {
    if (!this.alive) return Promise.reject(new Error(`server ${this.variant} has exited`))
    return new Promise((resolve, reject) => {
      this.#waiters.push(resolve)
      // A server that exits before it answers (its own deadline came) must not leave this pending.
      void this.#exited.then(() => reject(new Error(`server ${this.variant} exited before answering`)))
      this.#child.send('stats')
    })
  }

  /** The server's heap in bytes, after a full garbage collection. */
  heap(): Promise<number> {
    if (!this.alive) return Promise.reject(new Error(`server ${this.variant} has exited`))
    return new Promise((resolve) => {
      this.#heapWaiters.push(resolve)
      this.#child.send('heap')
    })
  }

  /** Ends a server that did not exit on its own (after taking its counts). */
  async kill(): Promise<void> {
    if (!this.alive) return
    this.#child.kill('SIGKILL')
    await this.#exited
  }
}
