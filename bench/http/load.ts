/**
 * Closed-loop load: `connections` workers, each sending the next request the moment the previous
 * one ended, until `stop()`. A refused connect is retried after a short pause, like a client would.
 */
import { Agent } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { agentRequest } from './agent-client.js'
import { count, emptyTally, type Result, type Tally } from './outcome.js'
import { type RawConnection, requestOnNewConnection } from './raw-client.js'

export type ClientKind = 'raw' | 'agent'

const RETRY_MS = 5

export class Load {
  readonly tally: Tally = emptyTally()
  #stopped = false
  readonly #done: Promise<void>
  readonly #agent: Agent | undefined

  constructor(kind: ClientKind, port: number, connections: number, path: string) {
    this.#agent = kind === 'agent' ? new Agent({ keepAlive: true, maxSockets: connections }) : undefined
    const workers = Array.from({ length: connections }, () =>
      kind === 'raw' ? this.#raw(port, path) : this.#viaAgent(port, path),
    )
    this.#done = Promise.all(workers).then(() => this.#agent?.destroy())
  }

  /** Total requests that ended so far. */
  get requests(): number {
    const { closeHeader: _, ...outcomes } = this.tally
    return Object.values(outcomes).reduce((sum, value) => sum + value, 0)
  }

  /** Stops sending; resolves when every request in flight has ended (or after `ms`). */
  async stop(ms = 2_000): Promise<void> {
    this.#stopped = true
    await Promise.race([this.#done, sleep(ms)])
  }

  async #raw(port: number, path: string): Promise<void> {
    let conn: RawConnection | undefined
    while (!this.#stopped) {
      let result: Result
      if (!conn || conn.closed) {
        const fresh = await requestOnNewConnection(port, path)
        conn = fresh.conn
        result = fresh
      } else result = await conn.request(path)
      count(this.tally, result)
      if (result.outcome === 'refused') await sleep(RETRY_MS)
      // a well-behaved client never reuses a connection the server said it closes
      if (result.close || (result.outcome !== 'ok' && result.outcome !== 'status')) {
        conn?.end()
        conn = undefined
      }
    }
    conn?.end()
  }

  async #viaAgent(port: number, path: string): Promise<void> {
    const agent = this.#agent as Agent
    while (!this.#stopped) {
      const result = await agentRequest(agent, port, path)
      count(this.tally, result)
      if (result.outcome === 'refused') await sleep(RETRY_MS)
    }
  }
}
