import { describe, expect, test } from 'vitest'
import { DEFAULTS, InvalidArgumentError, InvalidStateError } from '../../src/index.js'
import { lifecycleWith } from './in-process.js'

describe('handleSignals() options', () => {
  test.each([
    [{ signal: ['SIGTERM'] }, /Unknown option `signal` in `options` of `handleSignals\(\)`/],
    [{ signals: [] }, /Expected `signals` of `handleSignals\(\)` to be a non-empty array/],
    [{ signals: 'SIGTERM' }, /Expected `signals` of `handleSignals\(\)` to be a non-empty array/],
    [{ signals: ['SIGKILL'] }, /every entry of `signals` .* got "SIGKILL" \(string\)/],
    [{ signals: ['SIGUSR1'] }, /every entry of `signals`/],
    [
      { exit: true },
      /Expected `exit` of `handleSignals\(\)` to be a function `\(code\) => void` or `false`, got `true` \(boolean\)/,
    ],
    [{ errors: 'yes' }, /Expected `errors` of `handleSignals\(\)` to be a boolean/],
    [
      { watchdog: -1 },
      /Expected `watchdog` of `handleSignals\(\)` to be a number of milliseconds from 0 to 2147483647/,
    ],
    [{ watchdog: true }, /Expected `watchdog`/],
    [{ watchdog: 2 ** 31 }, /from 0 to 2147483647 \(about 24.8 days, the longest a timer can wait\)/],
    [{ burstWindow: Number.NaN }, /Expected `burstWindow`/],
    [{ shutdownMessage: 1 }, /Expected `shutdownMessage` of `handleSignals\(\)` to be a boolean/],
    [null, /Expected `options` of `handleSignals\(\)` to be an object/],
  ])('%j is refused with a TypeError at the call', (options, message) => {
    const lifecycle = lifecycleWith()
    const before = process.listenerCount('SIGTERM')
    // @ts-expect-error: the bad input under test
    const call = () => lifecycle.handleSignals(options)
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(message)
    expect(process.listenerCount('SIGTERM')).toBe(before)
  })

  test('every documented signal is accepted; SIGBREAK is skipped where the platform has none', () => {
    const lifecycle = lifecycleWith()
    const dispose = lifecycle.handleSignals({
      signals: ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGBREAK', 'SIGTERM'],
      exit: false,
    })
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) {
      expect(process.listenerCount(signal)).toBe(1)
    }
    expect(process.listenerCount('SIGBREAK')).toBe(process.platform === 'win32' ? 1 : 0)
    dispose()
    expect(process.listenerCount('SIGHUP')).toBe(0)
  })

  test('the defaults are SIGTERM and SIGINT, a 1 s watchdog and a 250 ms burst window', () => {
    expect(DEFAULTS.signals).toEqual({ signals: ['SIGTERM', 'SIGINT'], watchdog: 1_000, burstWindow: 250 })
    const dispose = lifecycleWith().handleSignals({ exit: false })
    expect(process.listenerCount('SIGTERM')).toBe(1)
    expect(process.listenerCount('SIGINT')).toBe(1)
    expect(process.listenerCount('SIGHUP')).toBe(0)
    dispose()
  })

  test('calling it twice on one lifecycle throws until the first is disposed', () => {
    const lifecycle = lifecycleWith()
    const dispose = lifecycle.handleSignals({ exit: false })
    expect(() => lifecycle.handleSignals({ exit: false })).toThrow(InvalidStateError)
    expect(() => lifecycle.handleSignals({ exit: false })).toThrow(/already called on this lifecycle/)
    dispose()
    dispose()
    const again = lifecycle.handleSignals({ exit: false })
    expect(process.listenerCount('SIGTERM')).toBe(1)
    again()
    expect(process.listenerCount('SIGTERM')).toBe(0)
  })
})
