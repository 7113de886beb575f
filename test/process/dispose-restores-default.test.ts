import { expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

test('after dispose no listener is left behind and Ctrl+C kills the process as Node does', async () => {
  const fixture = runFixture('dispose')
  await fixture.ready
  const counts = JSON.parse(fixture.stdout().split('\n')[0] ?? '') as Record<string, number[]>
  // SIGTERM, SIGINT, message, uncaughtException, unhandledRejection: one listener each, shared
  // by 50 lifecycles, then none.
  expect(counts.during).toEqual([1, 1, 0, 1, 1])
  expect(counts.after).toEqual(counts.before)
  fixture.kill('SIGINT')
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: null, signal: 'SIGINT' })
})
