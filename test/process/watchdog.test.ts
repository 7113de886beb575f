import { expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

test('a leaked setInterval: the watchdog names the Timeout and the process still exits', async () => {
  const fixture = runFixture('leak')
  await fixture.ready
  const ready = performance.now()
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 0, signal: null })
  // The stop (50 ms after ready) and the 300 ms watchdog: without it, the process never ends.
  expect(exit.at - ready).toBeLessThan(4_000)
  expect(fixture.stderr()).toMatch(
    /watchdog: the process is still running 300 ms after the stop; what keeps the event loop alive: Timeout; exiting with code 0/,
  )
})
