/** The harness's side of `replica.ts`: spawn one, learn its port, SIGTERM it, wait for its exit. */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Build } from './replica.js'

const script = fileURLToPath(new URL('./replica.ts', import.meta.url))

export interface ReplicaEnv {
  readonly rows: string
  readonly slowMs: number
  readonly probe: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }
  readonly marginMs: number
  /** The graceful build's drain delay, instead of the one computed from `probe`. */
  readonly drainDelayMs?: number
}

export class Replica {
  readonly port: number
  readonly #child: ChildProcess
  readonly #exit: Promise<number | null>
  readonly stderr: () => string
  /** What the replica said at SIGTERM: its `/slow` requests in flight. */
  slowInFlight: number | undefined

  private constructor(child: ChildProcess, port: number, exit: Promise<number | null>, stderr: () => string) {
    this.#child = child
    this.port = port
    this.#exit = exit
    this.stderr = stderr
  }

  static start(build: Build, env: ReplicaEnv): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', script, build], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ROWS: env.rows,
        SLOW_MS: String(env.slowMs),
        PROBE: JSON.stringify(env.probe),
        MARGIN_MS: String(env.marginMs),
        ...(env.drainDelayMs === undefined ? {} : { DRAIN_DELAY_MS: String(env.drainDelayMs) }),
      },
    })
    let stdout = ''
    let stderr = ''
    let replica: Replica | undefined
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
    })
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    return new Promise((resolve, reject) => {
      void exit.then((code) =>
        reject(new Error(`replica ${build} exited (${code}) before listening: ${stderr}`)),
      )
      child.stdout?.setEncoding('utf8')
      child.stdout?.on('data', (chunk: string) => {
        stdout += chunk
        const line = /^\{"port":(\d+)\}$/m.exec(stdout)
        if (line && replica === undefined) {
          replica = new Replica(child, Number(line[1]), exit, () => stderr)
          resolve(replica)
        }
        const slow = /^\{"slowInFlight":(\d+)\}$/m.exec(stdout)
        if (slow && replica) replica.slowInFlight = Number(slow[1])
      })
    })
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  /**
   * SIGTERM, then the exit code; after `graceMs` SIGKILL, as the kubelet does at the end of the
   * termination grace period: then 137 (128 + 9).
   */
  async terminate(graceMs: number): Promise<number | null> {
    this.#child.kill('SIGTERM')
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      this.#child.kill('SIGKILL')
    }, graceMs)
    const code = await this.#exit
    clearTimeout(timer)
    return killed ? 137 : code
  }

  kill(): Promise<number | null> {
    this.#child.kill('SIGKILL')
    return this.#exit
  }
}
