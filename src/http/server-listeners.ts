import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Http2ServerRequest, ServerHttp2Session, ServerHttp2Stream } from 'node:http2'
import type { Socket } from 'node:net'
import type { ServerLike } from './types.js'

/** @internal What `httpServer()` listens to on a server. */
export interface ServerHandlers {
  /** A connection (TLS: after its handshake). */
  connection(socket: Socket): void
  /** TLS only: a TCP connection whose handshake has not finished yet. */
  handshake(socket: Socket): void
  request(req: IncomingMessage | Http2ServerRequest, res: ServerResponse): void
  session(session: ServerHttp2Session): void
  stream(stream: ServerHttp2Stream): void
  upgrade(req: IncomingMessage, socket: Socket): void
}

type Listener = (...args: never[]) => void

/** @internal `node:https` and secure `node:http2` servers. */
export function isSecure(server: ServerLike): boolean {
  return typeof (server as { setSecureContext?: unknown }).setSecureContext === 'function'
}

/**
 * @internal Adds our listeners to `server` and returns what removes them all. Most are
 * prepended (they run before the user's handler). Where a listener of ours would change what Node
 * does (`upgrade` and `connect` make Node hand the socket over; `request` on an HTTP/2 server turns
 * its compatibility API on), ours is added only next to one of the user's, and goes with the last.
 */
export function addServerListeners(server: ServerLike, handlers: ServerHandlers): () => void {
  const emitter = server as unknown as HttpServer
  const secure = isSecure(server)
  const http2 = typeof (server as { updateSettings?: unknown }).updateSettings === 'function'
  const prepended: Array<[string, Listener]> = []
  const prepend = (event: string, listener: Listener): void => {
    emitter.prependListener(event, listener as (...args: unknown[]) => void)
    prepended.push([event, listener])
  }
  const alongside = new Map<string, Listener>()
  if (http2) alongside.set('request', handlers.request)
  alongside.set('upgrade', handlers.upgrade)
  alongside.set('connect', handlers.upgrade)
  const attached = new Set<string>()
  const attach = (event: string): void => {
    const listener = alongside.get(event)
    if (listener === undefined || attached.has(event)) return
    attached.add(event)
    emitter.prependListener(event, listener as (...args: unknown[]) => void)
  }
  const onNewListener = (event: string | symbol): void => {
    if (typeof event === 'string') attach(event)
  }
  const onRemoveListener = (event: string | symbol): void => {
    if (typeof event !== 'string' || !attached.has(event)) return
    const ours = alongside.get(event)
    const listeners = emitter.listeners(event)
    if (ours !== undefined && listeners.length === 1 && listeners[0] === ours) {
      attached.delete(event)
      emitter.removeListener(event, ours as (...args: unknown[]) => void)
    }
  }
  const remove = (): void => {
    emitter.removeListener('newListener', onNewListener)
    emitter.removeListener('removeListener', onRemoveListener)
    for (const [event, listener] of prepended)
      emitter.removeListener(event, listener as (...args: unknown[]) => void)
    for (const event of attached)
      emitter.removeListener(event, alongside.get(event) as (...args: unknown[]) => void)
    attached.clear()
  }
  try {
    prepend(secure ? 'secureConnection' : 'connection', handlers.connection)
    if (secure) prepend('connection', handlers.handshake)
    if (http2) {
      prepend('session', handlers.session)
      prepend('stream', handlers.stream)
    } else {
      prepend('request', handlers.request)
    }
    for (const event of alongside.keys()) if (emitter.listenerCount(event) > 0) attach(event)
    emitter.on('newListener', onNewListener)
    emitter.on('removeListener', onRemoveListener)
  } catch (error) {
    // A server that is not quite an EventEmitter: the refused registration leaves no listener.
    remove()
    throw error
  }
  return remove
}
