import { type Agent, request } from 'node:http'
import type { Result } from './outcome.js'

/** @internal One request through node:http's keep-alive `Agent`, classified like the raw client's. */
const openedAt = new WeakMap<object, number>()

/** @internal */
export function agentRequest(
  agent: Agent,
  host: string,
  port: number,
  method: string,
  path: string,
): Promise<Result> {
  return new Promise((resolve) => {
    let sentAt: number | undefined
    let connectedAt: number | undefined
    let received = 0
    let settled = false
    const settle = (outcome: Result['outcome'], close: boolean): void => {
      if (settled) return
      settled = true
      resolve({ outcome, close, at: performance.now(), sentAt, connectedAt })
    }
    const req = request({ agent, host, port, method, path })
    req.on('socket', (socket) => {
      // A pooled socket keeps the time it was first handed out: when its connection was opened.
      if (!openedAt.has(socket)) openedAt.set(socket, performance.now())
      connectedAt = openedAt.get(socket)
    })
    // 'finish': the request was handed to a socket (a refused connect never gets there).
    req.on('finish', () => {
      sentAt = performance.now()
    })
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        received += chunk.length
      })
      const status = res.statusCode ?? 0
      res.on('end', () =>
        settle(status > 0 && status < 500 ? 'ok' : 'status', res.headers.connection === 'close'),
      )
      res.on('error', () => settle('truncated', false))
      res.on('close', () => {
        if (!res.complete) settle('truncated', false)
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') settle('refused', false)
      else if (sentAt === undefined) settle('closedBeforeSend', false)
      else if (received > 0) settle('truncated', false)
      else settle(error.message === 'socket hang up' ? 'hangup' : 'reset', false)
    })
    req.end()
  })
}
