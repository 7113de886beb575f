// The core on the runtime .ci/runtime-matrix names: phases in priority order, a hook over its
// budget marked `timeout` while the others still run, the report.
import { expect, test } from 'vitest'
import { RUNTIME, runFixture } from './support.js'

test(`${RUNTIME}: phases in order, a budget enforced, the report`, async () => {
  const fixture = runFixture('core.mjs')
  const exit = await fixture.exit
  expect(exit.code, fixture.output()).toBe(0)
  const result = JSON.parse(fixture.output().trim().split('\n').pop() ?? '{}')
  expect(result).toEqual({
    order: ['start db', 'start http', 'http', 'slow-worker', 'db', 'metrics'],
    ok: false,
    statuses: { http: 'ok', 'slow-worker': 'timeout', db: 'ok', metrics: 'ok' },
    state: 'stopped',
  })
})
