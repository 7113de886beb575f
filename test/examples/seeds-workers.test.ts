import { expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { run } from './child.js'

// Needs `consumer({ drain: 'all' })` (another branch adds it); until then the seed refuses the option.
test.concurrent('seeds/producer-consumer: Ctrl+C mid-way, and still every number from 0 to 999 is printed once, in order', async () => {
  const child = run('examples/seeds/producer-consumer/index.ts', { env: { ITEM_MS: '2' } })
  await child.line(/^100$/)
  child.kill('SIGINT')
  expect(await child.exit(60_000)).toEqual({ code: 0, signal: null })
  const numbers = child.lines.filter((line) => /^\d+$/.test(line)).map(Number)
  expect(numbers).toEqual(Array.from({ length: 1_000 }, (_, i) => i))
  expect(child.stdout()).toMatch(/received SIGINT: processing what is buffered/)
  expect(child.stdout()).not.toMatch(/handed back/)
}, 90_000)

test.concurrent('seeds/workers-waitgroup: one signal cancels both loops, the stop waits for both, the seed’s lines', async () => {
  const child = run('examples/seeds/workers-waitgroup/index.ts', { env: { TICK_MS: '100' } })
  await child.line(/running process one/)
  await child.line(/running process two/)
  child.kill('SIGINT')
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  const after = child.lines.slice(
    child.lines.indexOf('receive terminate signal, start graceful stop process'),
  )
  expect(after[0]).toBe('receive terminate signal, start graceful stop process')
  expect(after.slice(1, 3).sort()).toEqual(['gracefully stop process one', 'gracefully stop process two'])
  expect(after[3]).toBe('done!')
  expect(child.lines.at(-1)).toBe('done!')
})

test.concurrent('seeds/websocket: the stop waits for the WebSocket: close 1001 with a reason, then exit 0', async () => {
  const child = run('examples/seeds/websocket/index.ts', { env: { TICK_MS: '50' } })
  const port = await child.port()
  const socket = new WebSocket(`ws://localhost:${port}/ticks`)
  const ticks: string[] = []
  await new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      if (ticks.push(String(data)) === 3) resolve()
    }),
  )
  expect(ticks.length).toBeGreaterThanOrEqual(3)
  const closed = new Promise<[number, string]>((resolve) =>
    socket.once('close', (code, reason) => resolve([code, String(reason)])),
  )
  child.kill('SIGTERM')
  expect(await closed).toEqual([1001, 'Server restarting'])
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  expect(child.stdout()).toMatch(/client closed with 1001/)
  expect(child.stdout()).toMatch(/webSockets=1/)
})
