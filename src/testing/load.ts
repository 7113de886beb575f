import { Agent } from 'node:http'
import { agentRequest } from './agent-client.js'
import type { Outcome, Result } from './outcome.js'
import { RawConnection } from './raw-client.js'

/** Which client sent a request. */
export type ClientKind = 'raw' | 'agent'

/** One request of the load, as the result lists it. */
export interface RequestRecord {
  readonly client: ClientKind
  readonly outcome: Outcome
  /** When it was written, in ms from the signal (negative: before); absent when nothing was written. */
  readonly sentMs?: number
  /** When it ended, in ms from the signal. */
  readonly endedMs: number
  /**
   * When the connection it went on was opened, in ms from the signal: `>= 0` for a connection
   * made after the signal (to a listener that may be closing).
   */
  readonly connectedMs?: number
}

/** @internal */
export interface LoadSettings {
  readonly host: string
  readonly port: number
  readonly method: string
  readonly path: string
  readonly rawConnections: number
  readonly agentSockets: number
  readonly pauseMs: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * @internal Keep-alive load from both clients until `stop()`: each raw connection sends its next
 * request the moment an answer completes and reconnects when the server closes it; the Agent's
 * loops share its pool. Nothing is retried: a lost request is recorded as lost.
 */
export class Load {
  readonly #results: { client: ClientKind; result: Result }[] = []
  readonly #agent: Agent
  readonly #done: Promise<void>
  readonly #connections = new Set<RawConnection>()
  #stopped = false
  #inFlight = 0
  /** Called when a request is next sent (see {@link Load.untilInFlight}). */
  #onSend: (() => void)[] = []

  constructor(settings: LoadSettings) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, settings.agentSockets) })
    const record = (client: ClientKind, result: Result): void => {
      this.#results.push({ client, result })
    }
    const raw = async (): Promise<void> => {
      let connection: RawConnection | undefined
      while (!this.#stopped) {
        if (connection === undefined || connection.closed) {
          connection?.destroy()
          if (connection) this.#connections.delete(connection)
          connection = undefined
          try {
            connection = await RawConnection.open(settings.host, settings.port)
            this.#connections.add(connection)
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code
            const at = performance.now()
            record('raw', {
              outcome: code === 'ECONNREFUSED' ? 'refused' : 'closedBeforeSend',
              close: false,
              at,
              sentAt: undefined,
              connectedAt: undefined,
            })
            await sleep(Math.max(settings.pauseMs, 10))
            continue
          }
        }
        this.#sent()
        const result = await connection.request(
          settings.method,
          settings.path,
          `${settings.host}:${settings.port}`,
        )
        this.#inFlight--
        record('raw', result)
        if (settings.pauseMs > 0) await sleep(settings.pauseMs)
      }
      connection?.destroy()
    }
    const agent = async (): Promise<void> => {
      while (!this.#stopped) {
        this.#sent()
        const result = await agentRequest(
          this.#agent,
          settings.host,
          settings.port,
          settings.method,
          settings.path,
        )
        this.#inFlight--
        record('agent', result)
        // A refused connect comes back at once: do not spin on it.
        const pause = result.outcome === 'refused' ? Math.max(settings.pauseMs, 10) : settings.pauseMs
        if (pause > 0) await sleep(pause)
      }
    }
    this.#done = Promise.all([
      ...Array.from({ length: settings.rawConnections }, raw),
      ...Array.from({ length: settings.agentSockets }, agent),
    ]).then(() => {})
  }

  /** Requests written and not yet answered. */
  get inFlight(): number {
    return this.#inFlight
  }

  #sent(): void {
    this.#inFlight++
    if (this.#onSend.length > 0) for (const resolve of this.#onSend.splice(0)) resolve()
  }

  /**
   * Resolves once a request is in flight: at once when one is, else when the next is sent, or after
   * `ms` without one. An answer needs I/O, so a request sent is still in flight when this resolves.
   */
  untilInFlight(ms: number): Promise<void> {
    if (this.#inFlight > 0 || this.#stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#onSend.push(done)
    })
  }

  /** Answered requests so far. */
  get answered(): number {
    return this.#results.filter(({ result }) => result.outcome === 'ok').length
  }

  /** Stops sending; resolves with every request, once each has ended (the target gone, or `ms` passed). */
  async stop(ms: number): Promise<void> {
    this.#stopped = true
    let timer: NodeJS.Timeout | undefined
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, ms)
    })
    await Promise.race([this.#done, late])
    clearTimeout(timer)
    // Whatever is still waiting is given up on (and stays unanswered in the records).
    for (const connection of this.#connections) connection.destroy()
    this.#agent.destroy()
    await this.#done
  }

  records(signalAt: number): RequestRecord[] {
    return this.#results.map(({ client, result }) => ({
      client,
      outcome: result.outcome,
      ...(result.sentAt === undefined ? {} : { sentMs: Math.round(result.sentAt - signalAt) }),
      endedMs: Math.round(result.at - signalAt),
      ...(result.connectedAt === undefined ? {} : { connectedMs: Math.round(result.connectedAt - signalAt) }),
    }))
  }
}
