/**
 * Seed 003's warning: `http.Server.Shutdown(ctx)` does not wait for hijacked connections such as
 * WebSockets; the Go program exits under them and each client sees its connection drop (1006,
 * abnormal closure). Here the `ws` server is handed to `httpServer()`: on Ctrl+C each client gets
 * a close frame with code 1001 (going away) and a reason, the process waits for the close
 * handshakes, and exits 0.
 *
 *   npx tsx examples/seeds/websocket/index.ts
 *   npx wscat -c ws://localhost:8080/ticks    # ticks every second; then Ctrl+C the server
 *
 * `TICK_MS` (default 1000) is the interval between two messages.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Lifecycle } from 'graceful-lifecycle'
import { httpServer } from 'graceful-lifecycle/http'
import { WebSocketServer } from 'ws'

const tickMs = Number(process.env.TICK_MS ?? 1_000)
const lifecycle = new Lifecycle({ timeout: 10_000 })
const server = createServer((_req, res) => res.end('connect with a WebSocket client to /ticks\n'))
const wss = new WebSocketServer({ server, path: '/ticks' })

wss.on('connection', (socket) => {
  console.log('client connected')
  let tick = 0
  const timer = setInterval(() => socket.send(`tick ${++tick}`), tickMs)
  socket.on('close', (code) => {
    clearInterval(timer)
    console.log(`client closed with ${code}`)
  })
})

lifecycle.register(
  httpServer(server, { timeout: 5_000, webSocketServer: wss, webSocketReason: 'Server restarting' }),
)
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on ws://localhost:${(server.address() as AddressInfo).port}/ticks`)
})
