import { describe, expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

describe.concurrent('the process exits only after its logs are written', () => {
  test('20 000 console lines written by a stop hook all reach the stdout pipe, then the report', async () => {
    const fixture = runFixture('console-flood', ['20000'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    const out = fixture.stdout().split('\n')
    expect(out.filter((line) => line.startsWith('audit line '))).toHaveLength(20_000)
    expect(out).toContain(`audit line 19999 ${'x'.repeat(80)}`)
    expect(out.filter(Boolean).at(-1)).toBe('graceful-lifecycle: exiting with code 0')
  })

  test('a pino logger on an asynchronous destination loses no line, and logs the report', async () => {
    const fixture = runFixture('pino-logger', ['5000'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    const records = fixture
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; i?: number; report?: { ok: boolean } })
    expect(records.filter((record) => record.msg === 'audit line')).toHaveLength(5_000)
    const report = records.find((record) => record.report)
    expect(report?.report?.ok).toBe(true)
    expect(records.at(-1)?.msg).toBe('graceful-lifecycle: exiting with code 0')
  })
})

// Not beside the two floods above: in the same test process they compete with this reader, and on a
// loaded machine (CI, a run with two busy cores) the reader once took nothing for a whole watchdog
// period, which the watchdog rightly takes for a reader that stopped.
describe('a slow or stopped reader of stdout', () => {
  test('a slow reader: the watchdog waits while stdout drains, and no line is lost', async () => {
    const fixture = runFixture('console-flood', ['20000'])
    await fixture.ready
    const stdout = fixture.child.stdout
    if (!stdout) throw new Error('the fixture has no stdout pipe')
    stdout.pause()
    // A steady slow reader, as a busy log collector is: at most 12 000 characters every 10 ms (about
    // 1.2 MB/s), so the 1.9 MB take more than 1.5 s, past the 1 s watchdog, and never stall for long.
    // (Taking one 'data' event at a time is not steady: the first events are single lines.)
    const reading = setInterval(() => {
      stdout.read(Math.min(12_000, stdout.readableLength))
    }, 10)
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    clearInterval(reading)

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(fixture.stderr()).not.toContain('watchdog')
    const out = fixture.stdout().split('\n')
    expect(out.filter((line) => line.startsWith('audit line '))).toHaveLength(20_000)
    expect(out.filter(Boolean).at(-1)).toBe('graceful-lifecycle: exiting with code 0')
  })

  test('a reader that takes nothing: the watchdog ends the process after one period without progress, and says how much was not written', async () => {
    const fixture = runFixture('console-flood', ['20000'])
    await fixture.ready
    const stdout = fixture.child.stdout
    if (!stdout) throw new Error('the fixture has no stdout pipe')
    stdout.pause()
    fixture.child.once('exit', () => stdout.resume())
    fixture.kill('SIGTERM')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(fixture.stderr()).toMatch(
      /watchdog: the process is still running 1000 ms after the stop; .*; stdout and stderr have \d+ bytes not yet written \(no reader took any for 1000 ms\); exiting with code 0/,
    )
    const lost =
      20_000 -
      fixture
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('audit line ')).length
    expect(lost).toBeGreaterThan(0)
  })
})
