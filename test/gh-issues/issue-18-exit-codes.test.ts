import { describe, expect, test } from 'vitest'
import { lines, runFixture, tempFile } from '../process/run-fixture.js'

describe.concurrent('issue 18.4: two lifecycles with handleSignals() in one process', () => {
  test.each([
    { flags: [], code: 0 },
    { flags: ['slow-exit-false'], code: 0 },
    { flags: ['fast-exit-false'], code: 0 },
    { flags: ['fast-fails'], code: 1 },
    { flags: ['slow-exit-false', 'fast-fails'], code: 1 },
  ])(
    'SIGTERM with $flags: the process exits once both stops have ended, with code $code',
    async ({ flags, code }) => {
      const file = tempFile()
      const fixture = runFixture('two-lifecycles', [file, ...flags])
      await fixture.ready
      const sent = fixture.kill('SIGTERM')
      const exit = await fixture.exit
      expect(lines(file).sort()).toEqual(['fast:stopped', 'slow:stopped'])
      expect(exit).toMatchObject({ code, signal: null })
      // The slow stop takes 1.5 s: the process outlived it, and no more.
      expect(exit.at - sent).toBeGreaterThan(1_400)
      expect(exit.at - sent).toBeLessThan(5_000)
    },
  )
})

describe.concurrent('issue 18.6: SIGTERM during a start rollback', () => {
  test('the stop caused by a failed start is not clean: exit 1, and the rollback finishes', async () => {
    const file = tempFile()
    const fixture = runFixture('rollback-signal', [file])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    expect(exit).toMatchObject({ code: 1, signal: null })
    expect(lines(file)).toEqual(['db:start', 'db:stop'])
  })
})

describe.concurrent('issue 18.7: an exit code the application set', () => {
  test.each([
    // A clean stop keeps the code the application set, on both paths.
    { set: '3', path: 'signal', flags: [], code: 3 },
    { set: '3', path: 'watchdog', flags: [], code: 3 },
    { set: 'none', path: 'signal', flags: [], code: 0 },
    { set: 'none', path: 'watchdog', flags: [], code: 0 },
    // A failed stop exits 1, unless the application set a non-zero code.
    { set: '3', path: 'signal', flags: ['fails'], code: 3 },
    { set: '3', path: 'watchdog', flags: ['fails'], code: 3 },
    { set: '0', path: 'signal', flags: ['fails'], code: 1 },
    { set: '0', path: 'watchdog', flags: ['fails'], code: 1 },
  ])('process.exitCode = $set, $path path, $flags: exit $code', async ({ set, path, flags, code }) => {
    const fixture = runFixture('app-exit-code', [set, path, ...flags])
    await fixture.ready
    if (path === 'signal') fixture.kill('SIGTERM')
    const exit = await fixture.exit
    expect(exit).toMatchObject({ code, signal: null })
    if (path === 'watchdog') expect(fixture.stdout() + fixture.stderr()).toContain('watchdog')
  })
})
