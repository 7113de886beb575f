import { describe, expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './run-fixture.js'

describe.concurrent('the first signal stops the lifecycle and exits', () => {
  test('SIGTERM with a clean stop: hooks run in priority order, the table is logged, exit 0', async () => {
    const file = tempFile()
    const fixture = runFixture('clean', [file])
    await fixture.ready
    const sent = fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    // Three 30 ms phases, then a prompt exit (generous: the test machine may be busy).
    expect(exit.at - sent).toBeLessThan(3_000)
    expect(lines(file)).toEqual(['http', 'queue', 'db'])
    const out = fixture.stdout()
    expect(out).toContain('received SIGTERM: stopping')
    expect(out).toMatch(/stopped in [\d.]+ ms \(signal SIGTERM\): ok/)
    expect(out).toMatch(/INGRESS \(200\)[\s\S]*http\s+ok[\s\S]*WORKERS[\s\S]*queue\s+ok[\s\S]*db\s+ok/)
    expect(out.trimEnd().split('\n').at(-1)).toBe('graceful-lifecycle: exiting with code 0')
  })

  test('a signal added to `signals` (SIGHUP) stops it the same way', async () => {
    const file = tempFile()
    const fixture = runFixture('clean', [file])
    await fixture.ready
    fixture.kill('SIGHUP')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(file)).toEqual(['http', 'queue', 'db'])
    expect(fixture.stdout()).toContain('(signal SIGHUP): ok')
  })
})
