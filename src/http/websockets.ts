import type { WebSocketLike, WebSocketServerLike } from './types.js'

const OPEN = 1
const CLOSED = 3
const GOING_AWAY = 1001

/** @internal Sends every open client a close frame (1001, `reason`); returns how many. */
export function closeWebSockets(wss: WebSocketServerLike | undefined, reason: string): number {
  let closed = 0
  if (wss === undefined) return closed
  for (const client of wss.clients) {
    if (client.readyState !== OPEN) continue
    closed++
    client.close(GOING_AWAY, reason)
  }
  return closed
}

/** @internal Cuts every client that is not closed yet. */
export function terminateWebSockets(wss: WebSocketServerLike | undefined): void {
  if (wss === undefined) return
  for (const client of wss.clients) terminate(client)
}

function terminate(client: WebSocketLike): void {
  if (client.readyState !== CLOSED) client.terminate()
}
