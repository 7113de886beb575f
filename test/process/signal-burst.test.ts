import { expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './run-fixture.js'

test('a burst of 100 SIGTERMs within 10 ms is one stop: every hook runs once, exit 0', async () => {
  const file = tempFile()
  const fixture = runFixture('burst', [file])
  await fixture.ready
  const start = performance.now()
  for (let i = 0; i < 100; i++) fixture.kill('SIGTERM')
  const sentIn = performance.now() - start
  const exit = await fixture.exit

  expect(sentIn).toBeLessThan(10)
  expect(exit).toMatchObject({ code: 0, signal: null })
  expect(lines(file)).toEqual(['http', 'queue', 'db'])
  expect(fixture.stdout().match(/received SIGTERM/g)).toHaveLength(1)
  expect(fixture.stderr()).not.toContain('forcing')
})
