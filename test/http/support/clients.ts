import type { IncomingHttpHeaders } from 'node:http'
import * as http from 'node:http'
import * as https from 'node:https'
import type { Socket } from 'node:net'
import * as net from 'node:net'
import * as tls from 'node:tls'
import type { Running } from './servers.js'

export interface Reply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly reusedSocket: boolean
}

/** A keep-alive agent for the server's protocol (TLS: self-signed accepted). */
export function keepAliveAgent(running: Running, maxSockets = Number.POSITIVE_INFINITY): http.Agent {
  return running.secure
    ? new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false })
    : new http.Agent({ keepAlive: true, maxSockets })
}

/** GET `path`; rejects with the client's error (its `code`: ECONNRESET, ECONNREFUSED...). */
export function get(running: Running, path: string, agent: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (running.secure ? https : http).get(
      { host: '127.0.0.1', port: running.port, path, agent },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            reusedSocket: request.reusedSocket,
          }),
        )
        res.on('error', reject)
      },
    )
    request.on('error', reject)
  })
}

/** A new TCP (TLS) connection; rejects with the error when refused. */
export function connect(running: Running): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = running.secure
      ? tls.connect({
          host: '127.0.0.1',
          port: running.port,
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: '127.0.0.1', port: running.port })
    socket.once(running.secure ? 'secureConnect' : 'connect', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Every socket the agent holds (free and busy). */
export function agentSockets(agent: http.Agent): Socket[] {
  const all = [...Object.values(agent.freeSockets), ...Object.values(agent.sockets)]
  return all.flatMap((list) => (list ?? []) as Socket[])
}

/** Resolves when the socket has closed, with the time it took. */
export function closed(socket: Socket): Promise<number> {
  const start = performance.now()
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(0)
    socket.once('close', () => resolve(performance.now() - start))
  })
}

export const errorCode = (error: unknown): string | undefined => (error as { code?: string }).code
