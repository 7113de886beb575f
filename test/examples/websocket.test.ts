import { expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { run } from './child.js'

test('examples/websocket: SIGTERM closes each client with 1001 and its reason, then exits 0', async () => {
  const child = run('examples/websocket/index.ts')
  const port = await child.port()
  const socket = new WebSocket(`ws://localhost:${port}`)
  const messages: string[] = []
  socket.on('message', (data) => messages.push(String(data)))
  await new Promise((resolve) => socket.once('open', resolve))
  socket.send('ping')
  await child.line(/client connected/)
  await expect.poll(() => messages).toEqual(['welcome', 'echo: ping'])
  const closed = new Promise<[number, string]>((resolve) =>
    socket.once('close', (code, reason) => resolve([code, String(reason)])),
  )
  child.kill('SIGTERM')
  expect(await closed).toEqual([1001, 'Server restarting, reconnect'])
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  expect(child.stdout()).toMatch(/closed=1/)
})
