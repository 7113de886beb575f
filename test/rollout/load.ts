/**
 * The steady client: keep-alive connections through one `http.Agent`, never a retry. `mixed`
 * loops send `GET /fast` and, one request in four, a `POST /rows` with a fresh id; `idle` loops do
 * the same with pauses longer than the server's idle grace; `slow` loops keep a `GET /slow`
 * (longer than the drain delay) in flight. Every answer is checked. Shared by the HAProxy rollout,
 * the L4 (kube-proxy) rollout and the direct-client test.
 */
import { Agent, request } from 'node:http'

export type Kind = 'fast' | 'post' | 'slow'

export interface Outcome {
  readonly kind: Kind
  readonly id?: string
  readonly ok: boolean
  /** The status code, or the socket error's code ('ECONNRESET', 'socket hang up'). */
  readonly what: string
  /** `performance.now()` when it was sent. */
  readonly at: number
  /** The loop that sent it. */
  readonly loop?: LoopType
}

/** `fresh`: like `mixed`, but a new connection for each request (`agent: false`, `Connection: close`). */
export type LoopType = 'mixed' | 'idle' | 'slow' | 'fresh'

/** Refused before anything was written: the client may try elsewhere, nothing was lost. */
export const REFUSED = 'ECONNREFUSED'

export interface LoadOptions {
  /** @default '127.0.0.1' */
  readonly host?: string
  readonly port: number
  readonly mixedLoops: number
  readonly slowLoops: number
  /** Pause between two requests of a mixed loop, in ms. */
  readonly pauseMs: number
  /** Loops like the mixed ones that pause `idlePauseMs` (plus up to a half of it, at random). @default 0 */
  readonly idleLoops?: number
  /** Loops like the mixed ones that open a new connection for every request. @default 0 */
  readonly freshLoops?: number
  readonly idlePauseMs?: number
}

function send(
  agent: Agent | false,
  host: string,
  port: number,
  kind: Kind,
  id: string | undefined,
): Promise<Outcome> {
  const method = kind === 'post' ? 'POST' : 'GET'
  const path = kind === 'post' ? '/rows' : `/${kind}`
  const expected = kind === 'post' ? 201 : 200
  const expectedBody = kind === 'post' ? id : kind
  const at = performance.now()
  return new Promise((resolve) => {
    let settled = false
    const settle = (ok: boolean, what: string): void => {
      if (settled) return
      settled = true
      resolve({ kind, ...(id === undefined ? {} : { id }), ok, what, at })
    }
    const req = request({ agent, host, port, method, path }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () =>
        settle(res.statusCode === expected && text === expectedBody, String(res.statusCode)),
      )
      res.on('error', (error: NodeJS.ErrnoException) => settle(false, error.code ?? error.message))
      res.on('close', () => {
        if (!res.complete) settle(false, 'truncated')
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => settle(false, error.code ?? error.message))
    req.end(id)
  })
}

export class Load {
  readonly outcomes: Outcome[] = []
  readonly #agent: Agent
  readonly #done: Promise<void>
  #stopped = false
  #next = 0

  constructor(options: LoadOptions) {
    const host = options.host ?? '127.0.0.1'
    const idleLoops = options.idleLoops ?? 0
    const idlePauseMs = options.idlePauseMs ?? 0
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: options.mixedLoops + options.slowLoops + idleLoops,
    })
    const loop = async (type: LoopType): Promise<void> => {
      while (!this.#stopped) {
        const kind: Kind = type === 'slow' ? 'slow' : this.#next % 4 === 3 ? 'post' : 'fast'
        const id = kind === 'post' ? `${process.pid}-${this.#next}` : undefined
        this.#next++
        const agent = type === 'fresh' ? false : this.#agent
        this.outcomes.push({ ...(await send(agent, host, options.port, kind, id)), loop: type })
        const pause =
          type === 'mixed' || type === 'fresh'
            ? options.pauseMs
            : type === 'idle'
              ? idlePauseMs * (1 + Math.random() / 2)
              : 0
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause))
      }
    }
    this.#done = Promise.all([
      ...Array.from({ length: options.mixedLoops }, () => loop('mixed')),
      ...Array.from({ length: idleLoops }, () => loop('idle')),
      ...Array.from({ length: options.slowLoops }, () => loop('slow')),
      ...Array.from({ length: options.freshLoops ?? 0 }, () => loop('fresh')),
    ]).then(() => {})
  }

  /** Stops sending; resolves once every request sent has its answer. */
  async stop(): Promise<Outcome[]> {
    this.#stopped = true
    await this.#done
    this.#agent.destroy()
    return this.outcomes
  }
}
