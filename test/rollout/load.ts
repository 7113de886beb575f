/**
 * The steady client: keep-alive connections through one `http.Agent`, never a retry. `mixed`
 * loops send `GET /fast` and, one request in four, a `POST /rows` with a fresh id; `slow` loops
 * keep a `GET /slow` (longer than the drain delay) in flight. Every answer is checked.
 */
import { Agent, request } from 'node:http'

export type Kind = 'fast' | 'post' | 'slow'

export interface Outcome {
  readonly kind: Kind
  readonly id?: string
  readonly ok: boolean
  /** The status code, or the socket error's code ('ECONNRESET', 'socket hang up'). */
  readonly what: string
}

export interface LoadOptions {
  readonly port: number
  readonly mixedLoops: number
  readonly slowLoops: number
  /** Pause between two requests of a mixed loop, in ms. */
  readonly pauseMs: number
}

function send(agent: Agent, port: number, kind: Kind, id: string | undefined): Promise<Outcome> {
  const method = kind === 'post' ? 'POST' : 'GET'
  const path = kind === 'post' ? '/rows' : `/${kind}`
  const expected = kind === 'post' ? 201 : 200
  const expectedBody = kind === 'post' ? id : kind
  return new Promise((resolve) => {
    let settled = false
    const settle = (ok: boolean, what: string): void => {
      if (settled) return
      settled = true
      resolve({ kind, ...(id === undefined ? {} : { id }), ok, what })
    }
    const req = request({ agent, host: '127.0.0.1', port, method, path }, (res) => {
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
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.mixedLoops + options.slowLoops })
    const loop = async (slow: boolean): Promise<void> => {
      while (!this.#stopped) {
        const kind: Kind = slow ? 'slow' : this.#next % 4 === 3 ? 'post' : 'fast'
        const id = kind === 'post' ? `${process.pid}-${this.#next}` : undefined
        this.#next++
        this.outcomes.push(await send(this.#agent, options.port, kind, id))
        if (!slow) await new Promise((resolve) => setTimeout(resolve, options.pauseMs))
      }
    }
    this.#done = Promise.all([
      ...Array.from({ length: options.mixedLoops }, () => loop(false)),
      ...Array.from({ length: options.slowLoops }, () => loop(true)),
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
