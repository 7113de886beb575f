import { expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './run-fixture.js'

test('a failing hook: the other hooks still run, the report names it, exit 1', async () => {
  const file = tempFile()
  const fixture = runFixture('failing-hook', [file])
  await fixture.ready
  fixture.kill('SIGTERM')
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 1, signal: null })
  expect(lines(file)).toEqual(['cache', 'db'])
  // The not-ok report goes to stderr, with the hook and its error.
  const err = fixture.stderr()
  expect(err).toMatch(/stopped in [\d.]+ ms \(signal SIGTERM\): not ok/i)
  expect(err).toMatch(/cache\s+error/)
  expect(err).toContain('cache refused to close')
  expect(fixture.stdout()).toContain('exiting with code 1')
})
