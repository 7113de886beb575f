import { describe, expect, test } from 'vitest'
import { delay, printed, runFixture } from './run-fixture.js'

/**
 * Between the exit decision and the end of the process, the signal listeners stay: without them a
 * late signal (npm forwards the Ctrl+C it got to its child, later than the terminal did, on a busy
 * machine) meets Node's default action and the process dies by the signal, so that the shell sees
 * a kill, not the 130 the log announced. The fixture sends the signal from its 'exit' event.
 */
describe.concurrent('a signal that arrives while the process exits', () => {
  test('after a forced stop: the exit code stays 130, not death by SIGINT', async () => {
    const fixture = runFixture('signal-while-exiting', ['SIGINT', 'hung'])
    await fixture.ready
    fixture.kill('SIGINT')
    await printed(fixture, /received SIGINT: stopping/)
    await delay(500) // past the burst window (250 ms): a deliberate second Ctrl+C
    fixture.kill('SIGINT')
    const exit = await fixture.exit

    expect(fixture.stdout()).toContain('exit event (code 130): sending SIGINT to itself')
    expect(exit).toMatchObject({ code: 130, signal: null })
    expect(fixture.stderr()).toContain('received SIGINT during the stop: forcing it')
  })

  test('after a clean stop: the exit code stays 0, not death by SIGTERM', async () => {
    const fixture = runFixture('signal-while-exiting', ['SIGTERM', 'clean'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(fixture.stdout()).toContain('exit event (code 0): sending SIGTERM to itself')
    expect(exit).toMatchObject({ code: 0, signal: null })
  })
})
