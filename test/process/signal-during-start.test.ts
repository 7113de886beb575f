import { expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './run-fixture.js'

test('a signal during start(): what had started is stopped and the process exits 0', async () => {
  const file = tempFile()
  const fixture = runFixture('signal-during-start', [file])
  await fixture.ready
  fixture.kill('SIGTERM')
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 0, signal: null })
  // `db` started and is stopped, `warm-cache` never started; the top-level `await lifecycle.start()` never continued.
  expect(lines(file)).toEqual(['db:start', 'db:stop'])
  expect(fixture.stdout()).toContain('the start was aborted by the stop')
})
