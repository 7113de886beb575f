import { expect, test } from 'vitest'
import { run } from './child.js'
import { fetchOnce, untilRefused } from './http-client.js'

test.concurrent('seeds/hello-after-ctrl-c: the sleeping /hello is answered after Ctrl+C, a new request is refused, exit 0', async () => {
  const child = run('examples/seeds/hello-after-ctrl-c/index.ts', { env: { HELLO_MS: '1000' } })
  const port = await child.port()
  const hello = fetchOnce(port, '/hello')
  await child.line(/sleeping/)
  child.kill('SIGINT')
  await child.line(/received SIGINT/)
  const later = await untilRefused(port, '/hello')
  expect(later.at(-1)).toEqual({ kind: 'error', code: 'ECONNREFUSED' })
  expect(await hello).toMatchObject({ kind: 'response', status: 200, body: 'hello\n' })
  expect(await child.exit()).toEqual({ code: 0, signal: null })
})

test.concurrent('seeds/budget-cuts-long-request: the budget ends the stop, the long request is cut, exit 1 naming the hook', async () => {
  const child = run('examples/seeds/budget-cuts-long-request/index.ts', {
    env: { SLOW_MS: '8000', BUDGET_MS: '800' },
  })
  const port = await child.port()
  const slow = fetchOnce(port, '/slow')
  await child.line(/\[start\] SlowHandler/)
  const sentAt = performance.now()
  child.kill('SIGINT')
  // `curl: (52) Empty reply from server`: the connection closes with no response.
  expect(await slow).toEqual({ kind: 'error', code: 'ECONNRESET' })
  expect(performance.now() - sentAt).toBeLessThan(6_000) // cut at the budget, not at the handler's 8 s
  expect(await child.exit()).toEqual({ code: 1, signal: null })
  expect(child.stdout()).toMatch(/got a signal SIGINT/)
  expect(child.stdout()).toMatch(/------exited-------- \d+\.\d\ds/)
  expect(child.stdout()).not.toMatch(/\[end\] SlowHandler/)
  expect(child.stdout() + child.stderr()).toMatch(/http +timeout/)
})

test.concurrent('seeds/plain-node-empty-reply: without the library Ctrl+C kills the process and the client gets no reply', async () => {
  const child = run('examples/seeds/plain-node-empty-reply/index.ts', { env: { SLOW_MS: '3000' } })
  const port = await child.port()
  const request = fetchOnce(port, '/')
  await child.line(/working/)
  child.kill('SIGINT')
  expect(await request).toEqual({ kind: 'error', code: 'ECONNRESET' })
  expect(await child.exit()).toEqual({ code: null, signal: 'SIGINT' })
})
