import * as http from 'node:http'

/**
 * Every request of a load, counted once: answered (`ok`, by status), refused before it was sent
 * (`ECONNREFUSED`: the listener had closed), or failed after it was sent (reset, hang-up): a drop.
 */
export interface LoadResult {
  ok: number
  statuses: Record<number, number>
  refused: number
  failed: number
  errors: string[]
  /** Responses that said `Connection: close`. */
  closing: number
  /** Requests sent on a reused keep-alive socket. */
  reused: number
}

export interface Load {
  readonly result: LoadResult
  /** Resolves after `n` responses have been counted. */
  readonly warm: (n: number) => Promise<void>
  /** Stops sending; resolves when every request has settled. */
  readonly stop: () => Promise<LoadResult>
}

/**
 * `clients` loops, each on its own keep-alive agent (one socket), sending GET `path` one after the
 * other until stopped; after a refusal a loop waits 20 ms and tries again.
 */
export function keepAliveLoad(port: number, path: string, clients = 4): Load {
  const result: LoadResult = { ok: 0, statuses: {}, refused: 0, failed: 0, errors: [], closing: 0, reused: 0 }
  let running = true
  const waiters: { n: number; resolve: () => void }[] = []
  const agents = Array.from({ length: clients }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }))
  const once = (agent: http.Agent): Promise<void> =>
    new Promise((resolve) => {
      const request = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume()
        res.on('end', () => {
          result.ok++
          result.statuses[res.statusCode ?? 0] = (result.statuses[res.statusCode ?? 0] ?? 0) + 1
          if (res.headers.connection === 'close') result.closing++
          for (const waiter of waiters) if (result.ok >= waiter.n) waiter.resolve()
          resolve()
        })
        res.on('error', (error) => {
          result.failed++
          result.errors.push(`response: ${String(error)}`)
          resolve()
        })
      })
      request.on('socket', () => {
        if (request.reusedSocket) result.reused++
      })
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          result.refused++
          setTimeout(resolve, 20)
        } else {
          result.failed++
          result.errors.push(`${error.code ?? ''} ${error.message} (reused socket: ${request.reusedSocket})`)
          resolve()
        }
      })
    })
  const loops = agents.map(async (agent) => {
    while (running) await once(agent)
  })
  return {
    result,
    warm: (n) =>
      new Promise((resolve) => {
        if (result.ok >= n) resolve()
        else waiters.push({ n, resolve })
      }),
    stop: async () => {
      running = false
      await Promise.all(loops)
      for (const agent of agents) agent.destroy()
      return result
    },
  }
}
