/** A request through node:http's keep-alive `Agent`, classified like the raw client's. */
import { type Agent, request } from 'node:http'
import type { Result } from './outcome.js'

export function agentRequest(agent: Agent, port: number, path: string): Promise<Result> {
  return new Promise((resolve) => {
    let written = false
    let received = 0
    let settled = false
    const settle = (result: Omit<Result, 'at'>) => {
      if (settled) return
      settled = true
      resolve({ ...result, at: performance.now() })
    }
    const req = request({ agent, host: '127.0.0.1', port, path })
    // 'finish': the whole request was handed to the socket (a refused connect never gets there)
    req.on('finish', () => {
      written = true
    })
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        received += chunk.length
      })
      res.on('end', () =>
        settle({
          outcome: res.statusCode === 200 ? 'ok' : 'status',
          close: res.headers.connection === 'close',
        }),
      )
      res.on('error', () => settle({ outcome: 'truncated', close: false }))
      res.on('close', () => {
        if (!res.complete) settle({ outcome: 'truncated', close: false })
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') settle({ outcome: 'refused', close: false })
      else if (!written) settle({ outcome: 'closedBeforeSend', close: false })
      else if (received > 0) settle({ outcome: 'truncated', close: false })
      else settle({ outcome: error.message === 'socket hang up' ? 'hangup' : 'reset', close: false })
    })
    req.end()
  })
}
