import { once } from 'node:events'
import { afterEach, expect, test } from 'vitest'
import { createService, type Service } from './service.js'

let service: Service | undefined
afterEach(async () => {
  // A test that failed half-way still leaves no server or timer behind.
  await service?.lifecycle.stop().catch(() => {})
})

test('a request in flight at the stop is answered, and the work it started is finished', async () => {
  service = createService({ logger: false })
  const url = await service.listen()
  expect(await (await fetch(`${url}/fast`)).text()).toBe('ok\n')
  const inHandler = once(service.server, 'request') // emitted once the handler has begun
  const response = fetch(`${url}/slow`)
  await inHandler

  const report = await service.lifecycle.stop()

  expect(report.ok).toBe(true)
  expect(await (await response).text()).toBe('ok\n')
  expect(service.audit).toEqual(['GET /fast', 'GET /slow']) // the tracked task ran before the stop returned
  const hooks = report.phases.flatMap((phase) => phase.hooks)
  expect(hooks.map((hook) => hook.name)).toEqual(['http', 'lifecycle.track', 'flush-audit'])
  expect(hooks.find((hook) => hook.name === 'flush-audit')?.details).toEqual({ rows: 2 })
  await expect(fetch(url)).rejects.toThrow() // the listener is closed
})
