import { expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

test('neither the watchdog timer nor the IPC listener keeps a healthy stopped process alive', async () => {
  const fixture = runFixture('natural-exit', [], { ipc: true })
  await fixture.ready
  const ready = performance.now()
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 0, signal: null })
  expect(exit.at - ready).toBeLessThan(4_500)
  expect(fixture.stdout()).toMatch(/stopped in [\d.]+ ms \(manual\): ok/)
  expect(fixture.stderr()).not.toContain('watchdog')
})

test('a stop that no signal started and that failed still ends the process with exit code 1', async () => {
  const fixture = runFixture('natural-exit', ['failing'], { ipc: true })
  await fixture.ready
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 1, signal: null })
  expect(fixture.stderr()).toMatch(/flaky-flush\s+error/)
  expect(fixture.stderr()).not.toContain('watchdog')
})
