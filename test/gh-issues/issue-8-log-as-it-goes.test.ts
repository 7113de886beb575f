import { describe, expect, test } from 'vitest'
import { delay, runFixture } from '../process/run-fixture.js'

/** Waits until the child's output matches, or fails after `ms`. */
async function until(read: () => string, pattern: RegExp, ms = 10_000): Promise<void> {
  const end = performance.now() + ms
  while (!pattern.test(read())) {
    if (performance.now() > end) throw new Error(`no ${pattern} in:\n${read()}`)
    await delay(20)
  }
}

describe.concurrent('issue 8.6: the stop logs as it goes, so a SIGKILL mid-stop leaves the culprit', () => {
  test('console: each phase as it begins, each hook as it passes its budget, before any report', async () => {
    const fixture = runFixture('slow-stop-log')
    await fixture.ready
    fixture.kill('SIGTERM')
    const all = (): string => fixture.stdout() + fixture.stderr()
    await until(all, /passed its 300 ms budget/)
    await until(all, /stop phase priority 99: hung-flush/)
    fixture.kill('SIGKILL')
    const exit = await fixture.exit
    expect(exit.signal).toBe('SIGKILL')
    const out = fixture.stdout()
    expect(out).toContain('stop phase INGRESS (200): http')
    expect(out).toContain('stop phase WORKERS (100): stuck-consumer')
    expect(fixture.stderr()).toContain('stop hook `stuck-consumer` passed its 300 ms budget: given up on')
    // The last line before the kill names the phase that hung.
    expect(out.trim().split('\n').at(-1)).toContain('hung-flush')
    expect(out).not.toContain('stopped in')
  })

  test('pino: the same lines, structured', async () => {
    const fixture = runFixture('slow-stop-log', ['', 'pino'])
    await fixture.ready
    fixture.kill('SIGTERM')
    await until(fixture.stdout, /hung-flush/)
    fixture.kill('SIGKILL')
    await fixture.exit
    const records = fixture
      .stdout()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    const phases = records.filter((record) => record.phase !== undefined)
    expect(phases.map((record) => record.phase)).toEqual(['INGRESS', 'WORKERS', 99])
    expect(phases[1]).toMatchObject({ priority: 100, hooks: 1, time: 'in-time' })
    const over = records.find((record) => record.hook === 'stuck-consumer')
    expect(over).toMatchObject({ kind: 'stop', budgetMs: 300, level: 40 })
    expect(String(over?.msg)).toContain('passed its 300 ms budget')
  })
})
