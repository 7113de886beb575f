import { expect, test } from 'vitest'
import { DEFAULTS } from '../../src/index.js'
import { lines, runFixture, tempFile } from './run-fixture.js'

test('a burst of 100 SIGTERMs within 10 ms is one stop: every hook runs once, exit 0', async () => {
  const file = tempFile()
  const fixture = runFixture('burst', [file])
  await fixture.ready
  const start = performance.now()
  for (let i = 0; i < 100; i++) {
    fixture.kill('SIGTERM')
    // Spread over ~8 ms so that the child sees many deliveries, not one merged signal.
    while (performance.now() - start < i * 0.08) {}
  }
  const sentIn = performance.now() - start
  const exit = await fixture.exit

  // ~8 ms on an idle machine; a loaded one may take longer, but the burst must fit the window.
  expect(sentIn).toBeLessThan(DEFAULTS.signals.burstWindow)
  expect(Number(/delivered (\d+)/.exec(fixture.stdout())?.[1])).toBeGreaterThan(1)
  expect(exit).toMatchObject({ code: 0, signal: null })
  expect(lines(file)).toEqual(['http', 'queue', 'db'])
  expect(fixture.stdout().match(/received SIGTERM/g)).toHaveLength(1)
  expect(fixture.stderr()).not.toContain('forcing')
})
