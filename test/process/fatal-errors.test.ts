import { describe, expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './run-fixture.js'

describe.concurrent('`errors: true` routes fatal errors into an ordered stop and exit 1', () => {
  test.each([
    ['an uncaught exception', 'exception', 'uncaught exception', 'request handler crashed'],
    ['an unhandled rejection', 'rejection', 'unhandled rejection', 'payment provider rejected'],
  ])('%s', async (_title, kind, label, message) => {
    const file = tempFile()
    const fixture = runFixture('fatal', [file, kind])
    await fixture.ready
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 1, signal: null })
    // The whole ordered stop ran, once: the error during it started no second stop.
    expect(lines(file)).toEqual(['http', 'queue', 'db'])
    const err = fixture.stderr()
    expect(err).toContain(`${label}: stopping, then exiting with code 1`)
    expect(err).toContain(message)
    // The error thrown during the stop is logged, not lost.
    expect(err).toContain('uncaught exception during the stop (it does not start another')
    expect(err).toContain('second failure during the stop')
    const out = fixture.stdout()
    expect(out).toMatch(/stopped in [\d.]+ ms \(error: [^)]+\): ok/)
    expect(out).toContain('exiting with code 1')
  })
})
