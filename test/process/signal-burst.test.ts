import { expect, test } from 'vitest'
import { lines, printed, runFixture, tempFile } from './run-fixture.js'

test('a burst of 20 SIGTERMs within the burst window is one stop: every hook runs once, exit 0', async () => {
  const file = tempFile()
  // A window no loaded machine outlasts: the burst is paced by the child's acknowledgements.
  const fixture = runFixture('burst', [file, '60000'], { ipc: true })
  await fixture.ready
  for (let i = 1; i <= 20; i++) {
    fixture.kill('SIGTERM')
    await printed(fixture, new RegExp(`^delivered ${i}$`, 'm'))
  }
  fixture.child.send('burst over')
  const exit = await fixture.exit

  expect(exit).toMatchObject({ code: 0, signal: null })
  expect(fixture.stdout().match(/^delivered \d+$/gm)).toHaveLength(20)
  expect(lines(file)).toEqual(['http', 'queue', 'db'])
  expect(fixture.stdout().match(/received SIGTERM/g)).toHaveLength(1)
  expect(fixture.stderr()).not.toContain('forcing')
})
