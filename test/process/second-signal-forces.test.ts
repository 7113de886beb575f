import { describe, expect, test } from 'vitest'
import { delay, lines, printed, runFixture, tempFile } from './run-fixture.js'

describe.concurrent('a second signal during the stop forces it', () => {
  test('hung hook + a second SIGINT: exit 130 long before the hook budget, the pending hook named', async () => {
    const file = tempFile()
    const fixture = runFixture('hung-hook', [file])
    await fixture.ready
    const first = fixture.kill('SIGINT')
    // Past the burst window (250 ms) counted from when the child took the first: a deliberate
    // second Ctrl+C, however late a loaded machine delivers the first.
    await printed(fixture, /received SIGINT: stopping/)
    await delay(500)
    expect(fixture.child.exitCode).toBeNull()
    const second = fixture.kill('SIGINT')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 130, signal: null })
    // The hook had 20 s; the forced exit waits at most 200 ms for the logs (generous bounds: the
    // test machine may be busy).
    expect(exit.at - second).toBeLessThan(3_000)
    expect(exit.at - first).toBeLessThan(5_000)
    const err = fixture.stderr()
    expect(err).toContain('received SIGINT during the stop: forcing it; still running: `stuck-consumer`')
    // The report of the forced stop: the hook abandoned, the later phase skipped.
    expect(err).toMatch(/stuck-consumer\s+error/)
    expect(err).toMatch(/db\s+skipped/)
    expect(lines(file)).toEqual(['stuck-consumer'])
    expect(fixture.stdout()).toContain('exiting with code 130')
  })

  test('a second SIGTERM exits 143', async () => {
    const fixture = runFixture('hung-hook')
    await fixture.ready
    fixture.kill('SIGTERM')
    await printed(fixture, /received SIGTERM: stopping/)
    await delay(500)
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 143, signal: null })
    expect(fixture.stderr()).toContain('received SIGTERM during the stop: forcing it')
  })
})
