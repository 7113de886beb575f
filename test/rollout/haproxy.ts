/**
 * HAProxy for the rollout test: a frontend on a free port, a backend of `slots` servers that start
 * in maintenance and are pointed at replicas at run time (the endpoints controller's part), health
 * checked on `/readyz` every `interval` ms with `fall 1 rise 1`. Read and driven through its stats
 * socket (`show stat`, `set server`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Replica } from './replicas.js'
import type { Balancer, ProbeTiming, RolloutOptions } from './rollout.js'

/** `inter` (ms between two checks of a server), `fall` (failed checks before it is marked down), `timeout check`. */
export type HaproxyTiming = ProbeTiming

const BACKEND = 'replicas'

/** The haproxy binary: $HAPROXY, then PATH, then Debian's /usr/sbin. */
export function findHaproxy(): string {
  const candidates = [process.env.HAPROXY, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].filter(
    (path): path is string => typeof path === 'string' && path !== '',
  )
  try {
    candidates.unshift(execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim())
  } catch {}
  const found = candidates.find((path) => path !== '' && existsSync(path))
  if (found === undefined)
    throw new Error('haproxy not found: install it (apt-get install -y haproxy) or set HAPROXY')
  return found
}

/** A port nobody listens on right now (HAProxy binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function config(port: number, socket: string, slots: number, timing: HaproxyTiming): string {
  const servers = Array.from(
    { length: slots },
    (_, i) => `  server s${i + 1} 127.0.0.1:1 check inter ${timing.interval} fall ${timing.fall} rise 1`,
  )
  return [
    'global',
    `  stats socket ${socket} mode 600 level admin`,
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    // No retry of any kind: a request the balancer sends to a replica that refuses or resets it
    // is the client's failure, as with kube-proxy. (`retries 0` also turns off HAProxy's
    // default retry of a failed connect.)
    '  retries 0',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    `  timeout check ${timing.checkTimeout}ms`,
    'frontend web',
    `  bind 127.0.0.1:${port}`,
    `  default_backend ${BACKEND}`,
    `backend ${BACKEND}`,
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    ...servers,
    '',
  ].join('\n')
}

export interface ServerStatus {
  readonly name: string
  /** UP, DOWN, MAINT, `UP 1/2`, … as `show stat` says. */
  readonly status: string
  readonly address: string
}

export class Haproxy {
  readonly port: number
  readonly #socket: string
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  #stderr = ''

  private constructor(port: number, socket: string, child: ChildProcess) {
    this.port = port
    this.#socket = socket
    this.#child = child
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr += chunk
    })
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
  }

  /** Starts HAProxy; tries another port when the free one was taken before HAProxy could bind it. */
  static async start(slots: number, timing: HaproxyTiming): Promise<Haproxy> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await Haproxy.#start(slots, timing)
      } catch (error) {
        if (attempt === 3) throw error
      }
    }
  }

  static async #start(slots: number, timing: HaproxyTiming): Promise<Haproxy> {
    const dir = mkdtempSync(join(tmpdir(), 'gl-rollout-haproxy-'))
    const socket = join(dir, 'stats.sock')
    const file = join(dir, 'haproxy.cfg')
    const port = await freePort()
    writeFileSync(file, config(port, socket, slots, timing))
    const child = spawn(findHaproxy(), ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] })
    const haproxy = new Haproxy(port, socket, child)
    const deadline = performance.now() + 10_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited at start: ${haproxy.#stderr}`)
      try {
        // Every slot DOWN (its address refuses) before any replica is given one.
        if ((await haproxy.servers()).every((server) => server.status.startsWith('DOWN'))) return haproxy
      } catch (error) {
        if (performance.now() > deadline)
          throw new Error(`haproxy did not start: ${String(error)} ${haproxy.#stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }

  /** One command on the stats socket; resolves with its whole answer. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.#socket)
      let answer = ''
      socket.setEncoding('utf8')
      socket.on('data', (chunk: string) => {
        answer += chunk
      })
      socket.on('error', reject)
      socket.on('end', () => resolve(answer))
      socket.write(`${line}\n`)
    })
  }

  /** The backend's servers as `show stat` reports them. */
  async servers(): Promise<ServerStatus[]> {
    const csv = await this.command('show stat')
    const [header, ...rows] = csv.split('\n').filter((line) => line.trim() !== '')
    if (header === undefined || !header.startsWith('# '))
      throw new Error(`unexpected stats: ${csv.slice(0, 200)}`)
    const columns = header.slice(2).split(',')
    const at = (name: string): number => columns.indexOf(name)
    return rows
      .map((row) => row.split(','))
      .filter((cells) => cells[at('pxname')] === BACKEND && /^s\d+$/.test(cells[at('svname')] ?? ''))
      .map((cells) => ({
        name: cells[at('svname')] ?? '',
        status: cells[at('status')] ?? '',
        address: cells[at('addr')] ?? '',
      }))
  }

  async status(slot: string): Promise<string> {
    return (await this.servers()).find((server) => server.name === slot)?.status ?? 'missing'
  }

  /**
   * Points `slot` (a server that is DOWN: its address refuses) at a replica; its next passing
   * health check marks it UP. Nothing is routed there before.
   */
  async assign(slot: string, port: number): Promise<void> {
    await this.#expectEmpty(
      `set server ${BACKEND}/${slot} addr 127.0.0.1 port ${port}`,
      /^(IP changed|no need to change|.*port changed)/,
    )
  }

  /** Points `slot` back at nothing, for reuse (the endpoints controller removing a pod that has gone). */
  async release(slot: string): Promise<void> {
    await this.assign(slot, 1)
  }

  /** Resolves once `slot`'s status satisfies `accept`; rejects after `ms`. */
  async waitFor(slot: string, accept: (status: string) => boolean, ms: number): Promise<string> {
    const deadline = performance.now() + ms
    for (;;) {
      const status = await this.status(slot)
      if (accept(status)) return status
      if (performance.now() > deadline) throw new Error(`${slot} still ${status} after ${ms} ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  async stop(): Promise<void> {
    this.#child.kill('SIGTERM')
    await this.#exited
  }

  async #expectEmpty(line: string, ok: RegExp = /^$/): Promise<void> {
    const answer = (await this.command(line)).trim()
    if (!ok.test(answer)) throw new Error(`haproxy refused \`${line}\`: ${answer}`)
  }
}

/** HAProxy as the rollout's balancer: one slot per replica (one spare for the surge). */
export function haproxyBalancer(options: RolloutOptions): () => Promise<Balancer> {
  return async () => {
    const slots = options.replicas + 1
    const haproxy = await Haproxy.start(slots, options.timing)
    const free = Array.from({ length: slots }, (_, i) => `s${i + 1}`)
    const slotOf = new Map<Replica, string>()
    return {
      host: '127.0.0.1',
      port: haproxy.port,
      async route(replica) {
        const slot = free.shift()
        if (slot === undefined) throw new Error('no free slot')
        slotOf.set(replica, slot)
        await haproxy.assign(slot, replica.port)
        await haproxy.waitFor(slot, (status) => status === 'UP', 10_000)
      },
      // It has gone: the endpoints controller drops it, and its slot is free for the next one.
      async unroute(replica) {
        const slot = slotOf.get(replica)
        if (slot === undefined) return
        await haproxy.release(slot)
        await haproxy.waitFor(slot, (status) => status.startsWith('DOWN'), 10_000)
        free.push(slot)
      },
      stop: () => haproxy.stop(),
    }
  }
}
