import { expect, test } from 'vitest'
import { run } from './child.js'
import { delay, fetchSent } from './http-client.js'

test.concurrent('examples/vitest-service/main.ts: SIGTERM with a request in flight: answered, exit 0', async () => {
  const child = run('examples/vitest-service/main.ts')
  const port = await child.port()
  // The service logs nothing per request: the request written is the event (the stop then drains
  // the listen backlog and serves what is queued there, docs/http.md step 1).
  const slow = fetchSent(port, '/slow')
  await slow.sent
  child.kill('SIGTERM')
  expect(await slow.response).toMatchObject({ kind: 'response', status: 200, body: 'ok\n' })
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  expect(child.stdout()).toMatch(/flush-audit +ok/)
})

test.concurrent('examples/signals: one SIGINT stops it cleanly (exit 0)', async () => {
  const child = run('examples/signals/index.ts')
  await child.line(/press Ctrl\+C/)
  child.kill('SIGINT')
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  expect(child.stdout()).toMatch(/flushed=20/)
})

test.concurrent('examples/signals: a second SIGINT during the slow hook forces the stop: 130, the hook named', async () => {
  const child = run('examples/signals/index.ts')
  await child.line(/press Ctrl\+C/)
  child.kill('SIGINT')
  // Past the burst window, counted from when the child took the first: a deliberate second Ctrl+C.
  await child.line(/received SIGINT: stopping/)
  await delay(600)
  child.kill('SIGINT')
  expect(await child.exit()).toEqual({ code: 130, signal: null })
  expect(child.stdout() + child.stderr()).toMatch(/still running: `flush-queue`/)
})
