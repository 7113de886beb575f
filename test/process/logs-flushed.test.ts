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

  test('a slow reader: the watchdog waits while stdout drains, and no line is lost', async () => {
    const fixture = runFixture('console-flood', ['20000'])
    await fixture.ready
    const stdout = fixture.child.stdout
    stdout?.pause()
    // One chunk (at most 64 KiB) every 50 ms: about 1.5 s for the 1.9 MB, past the 1 s watchdog.
    const reading = setInterval(() => {
      stdout?.once('data', () => stdout.pause())
      stdout?.resume()
    }, 50)
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    clearInterval(reading)

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(fixture.stderr()).not.toContain('watchdog')
    const out = fixture.stdout().split('\n')
    expect(out.filter((line) => line.startsWith('audit line '))).toHaveLength(20_000)
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
