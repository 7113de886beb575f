// handleSignals() on the runtime .ci/runtime-matrix names: SIGTERM and SIGINT, the second signal
// forcing, the exit codes, and the watchdog's account of what holds the event loop.
import { describe, expect, test } from 'vitest'
import { RUNTIME, runFixture } from './support.js'

describe.concurrent(`${RUNTIME}: signals and exit codes`, () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: a clean stop exits 0', async (signal) => {
    const fixture = runFixture('signals.mjs', ['clean'])
    await fixture.line(/ready clean/)
    fixture.kill(signal)
    const exit = await fixture.exit
    expect(exit.code, fixture.output()).toBe(0)
    expect(fixture.output()).toContain(`received ${signal}: stopping`)
    expect(fixture.output()).toMatch(/flush\s+ok/)
  })

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'a second %s during a hung stop forces it: exit %i, the hung hook named',
    async (signal, code) => {
      const fixture = runFixture('signals.mjs', ['hung'])
      await fixture.line(/ready hung/)
      fixture.kill('SIGTERM')
      await fixture.line(/received SIGTERM: stopping/)
      // Past the burst window (250 ms), so the second one is a person's, not the same request again.
      await new Promise((resolve) => setTimeout(resolve, 400))
      const second = fixture.kill(signal)
      const exit = await fixture.exit
      const output = fixture.output()
      expect(exit.code, output).toBe(code)
      // The hook had 20 s.
      expect(exit.at - second).toBeLessThan(3_000)
      expect(output).toContain(
        `received ${signal} during the stop: forcing it; still running: \`stuck-consumer\``,
      )
      expect(output).toMatch(/db\s+skipped/)
    },
  )

  test('a failing hook: exit 1', async () => {
    const fixture = runFixture('signals.mjs', ['failing'])
    await fixture.line(/ready failing/)
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    expect(exit.code, fixture.output()).toBe(1)
    expect(fixture.output()).toMatch(/broken\s+error/)
  })

  test('the watchdog ends a process that outlives its stop, and says what it can see of the loop', async () => {
    const fixture = runFixture('signals.mjs', ['leak'])
    const exit = await fixture.exit
    const output = fixture.output()
    expect(exit.code, output).toBe(0)
    const line = output.split('\n').find((text) => text.includes('watchdog:')) ?? ''
    expect(line, output).toContain('what keeps the event loop alive:')
    // Node and Deno name the interval; Bun lists nothing, and the watchdog says so instead of "nothing".
    if (RUNTIME === 'bun') expect(line).toMatch(/not available on bun \S+/)
    else expect(line).toMatch(/alive: Timeout/)
    if (RUNTIME === 'deno') expect(line).toContain('Deno lists its node: resources only')
    expect(line).not.toContain('nothing but stdout/stderr')
  })
})
