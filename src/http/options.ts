import { DEFAULTS } from '../core/defaults.js'
import { Priority } from '../core/priority.js'
import {
  checkDuration,
  checkFinite,
  checkKeys,
  checkName,
  fail,
  readOptions,
  whileReading,
} from '../core/validate.js'
import { refuseApp } from './not-a-server.js'
import type { HttpServerOptions, ServerLike, WebSocketServerLike } from './types.js'

/** @internal */
export interface ResolvedHttpOptions {
  readonly name: string
  readonly priority: number
  readonly timeout: number | undefined
  readonly idleGrace: number
  readonly requestAbortLead: number
  readonly webSocketServer: WebSocketServerLike | undefined
  readonly webSocketReason: string
}

const KEYS = [
  'name',
  'priority',
  'timeout',
  'idleGrace',
  'requestAbortLead',
  'webSocketServer',
  'webSocketReason',
]

/** @internal Throws a `TypeError` for anything that would fail later. */
export function resolveHttpOptions(server: unknown, options: unknown): ResolvedHttpOptions {
  const where = '`httpServer()`'
  const ok = whileReading(where, 'server', () => {
    refuseApp(where, server)
    return isServer(server)
  })
  if (!ok) fail(where, 'server', 'a `node:http`, `node:https` or `node:http2` server', server)
  if (options === undefined) options = {}
  const o = readOptions(where, 'options', options, KEYS) as HttpServerOptions
  if (o.name !== undefined) checkName(where, 'name', o.name)
  const name = o.name ?? DEFAULTS.http.name
  const at = `component \`${name}\``
  checkKeys(at, 'options', o, KEYS)
  if (o.priority !== undefined) checkFinite(at, 'priority', o.priority)
  for (const key of ['timeout', 'idleGrace', 'requestAbortLead'] as const) {
    if (o[key] !== undefined) checkDuration(at, key, o[key])
  }
  const wss = o.webSocketServer
  if (wss !== undefined && !isWebSocketServer(wss)) {
    fail(at, 'webSocketServer', 'a `ws` WebSocketServer (with `clients`)', wss)
  }
  if (o.webSocketReason !== undefined && typeof o.webSocketReason !== 'string') {
    fail(at, 'webSocketReason', 'a string', o.webSocketReason)
  }
  return {
    name,
    priority: o.priority ?? Priority.INGRESS,
    timeout: o.timeout,
    idleGrace: o.idleGrace ?? DEFAULTS.http.idleGrace,
    requestAbortLead: o.requestAbortLead ?? DEFAULTS.http.requestAbortLead,
    webSocketServer: wss,
    webSocketReason: o.webSocketReason ?? DEFAULTS.http.webSocketReason,
  }
}

function isServer(value: unknown): value is ServerLike {
  if (value === null || typeof value !== 'object') return false
  const server = value as Record<string, unknown>
  return (
    typeof server.listen === 'function' &&
    typeof server.close === 'function' &&
    typeof server.prependListener === 'function' &&
    typeof server.address === 'function'
  )
}

function isWebSocketServer(value: unknown): value is WebSocketServerLike {
  if (value === null || typeof value !== 'object') return false
  const clients = (value as { clients?: unknown }).clients
  return (
    clients !== null &&
    typeof clients === 'object' &&
    typeof (clients as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  )
}
