/**
 * A standalone `ws` server (its own port): on SIGTERM every client gets a close frame with code
 * 1001 ("going away") and the process waits for each close handshake, then exits 0. Go's
 * `http.Server.Shutdown` does not wait for such hijacked connections; this does.
 *
 *   npx tsx examples/websocket/index.ts
 *   npx wscat -c ws://localhost:3000   (or any client), then Ctrl+C here
 */
import { Lifecycle } from 'graceful-lifecycle'
import { wsServer } from 'graceful-lifecycle/ws'
import { WebSocketServer } from 'ws'

const lifecycle = new Lifecycle({ timeout: 10_000 })
const wss = new WebSocketServer({ port: Number(process.env.PORT ?? 3000) })

wss.on('connection', (socket) => {
  console.log('client connected')
  socket.send('welcome')
  socket.on('message', (data) => socket.send(`echo: ${String(data)}`))
})

lifecycle.register(wsServer(wss, { timeout: 5_000, reason: 'Server restarting, reconnect' }))
lifecycle.handleSignals()
await lifecycle.start()
wss.on('listening', () => {
  const address = wss.address()
  console.log(`listening on ws://localhost:${typeof address === 'string' ? address : address?.port}`)
})
