import { describe, expect, test } from 'vitest'
import { delay, printed, runFixture } from './run-fixture.js'

/**
 * npm forwards each Ctrl+C to its child, which also gets the terminal's own: on a busy machine the
 * copy can arrive after the exit code is decided, while the process exits. Until the burst window
 * of the last request is over the signal listeners stay, and ignore it; without them the copy met
 * Node's default action and the process died by the signal (the demo's "Ctrl+C twice" test saw
 * npm end by SIGINT instead of 130). The fixture sends the copy at the worst moment, on an event.
 */
describe.concurrent('a copy of the last signal that arrives while the process exits', () => {
  test('after a forced stop, from the exit event: the exit code stays 130', async () => {
    const fixture = runFixture('signal-while-exiting', ['SIGINT', 'hung', 'default'])
    await fixture.ready
    fixture.kill('SIGINT')
    await printed(fixture, /received SIGINT: stopping/)
    await delay(500) // past the burst window (250 ms): a deliberate second Ctrl+C
    fixture.kill('SIGINT')
    const exit = await fixture.exit

    expect(fixture.stdout()).toContain('exit event (code 130)\nsending a copy of SIGINT')
    expect(exit).toMatchObject({ code: 130, signal: null })
    expect(fixture.stderr()).toContain('received SIGINT during the stop: forcing it')
  })

  test('after a clean stop, from the exit event: the exit code stays 0', async () => {
    const fixture = runFixture('signal-while-exiting', ['SIGTERM', 'clean', 'default'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(fixture.stdout()).toContain('exit event (code 0)\nsending a copy of SIGTERM')
    expect(exit).toMatchObject({ code: 0, signal: null })
  })

  test('an injected exit that ends the process later: a copy after it returned is ignored, exit 0', async () => {
    // A 5 s burst window: the copy is within it however slow the machine.
    const fixture = runFixture('signal-while-exiting', ['SIGTERM', 'clean', 'injected', '5000'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(fixture.stdout()).toContain('exit(0) called\nsending a copy of SIGTERM')
    expect(exit).toMatchObject({ code: 0, signal: null })
  })

  test('Ctrl+C twice, the second one delivered twice, an injected exit: one force, its report, 130', async () => {
    const fixture = runFixture('signal-while-exiting', ['SIGINT', 'hung', 'injected', '1000'])
    await fixture.ready
    fixture.kill('SIGINT')
    await printed(fixture, /received SIGINT: stopping/)
    await delay(1_200) // past the 1 s burst window: a deliberate second Ctrl+C
    fixture.kill('SIGINT')
    fixture.kill('SIGINT') // npm's copy of it
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 130, signal: null })
    const output = fixture.stdout() + fixture.stderr()
    expect(output.match(/forcing it/g)).toHaveLength(1)
    // The copy is the same request: it does not cut the forced stop's report short.
    expect(output).not.toContain('again: exiting now')
    expect(output).toMatch(/stuck-consumer\s+error/)
    expect(fixture.stdout()).toContain('exit(130) called\nsending a copy of SIGINT')
  })
})
