import { describe, expect, test } from 'vitest'
import { ShutdownError } from '../../src/index.js'
import { deferred, quiet, settle } from './helpers.js'

describe('stop() is idempotent', () => {
  test('calling it twice returns the same promise and runs every hook once', async () => {
    const lifecycle = quiet()
    let calls = 0
    lifecycle.onStop('once', () => {
      calls++
    })
    const first = lifecycle.stop()
    const second = lifecycle.stop({ type: 'signal', signal: 'SIGTERM' })
    expect(second).toBe(first)
    await first
    expect(lifecycle.stop()).toBe(first)
    expect(calls).toBe(1)
    // The first call's reason wins.
    expect((await first).reason).toEqual({ type: 'manual' })
  })

  test('concurrent calls while a hook is still running share one run', async () => {
    const lifecycle = quiet()
    const gate = deferred()
    let calls = 0
    lifecycle.onStop('slow', () => {
      calls++
      return gate.promise
    })
    const promises = [lifecycle.stop(), lifecycle.stop(), lifecycle.stop()]
    await Promise.resolve()
    expect(lifecycle.state).toBe('stopping')
    const more = lifecycle.stop()
    gate.resolve()
    const reports = await Promise.all([...promises, more])
    expect(new Set(reports).size).toBe(1)
    expect(new Set([...promises, more]).size).toBe(1)
    expect(calls).toBe(1)
  })

  test('a failed stop rejects every caller with the same ShutdownError', async () => {
    const lifecycle = quiet()
    lifecycle.onStop('bad', () => {
      throw new Error('bad')
    })
    const a = await settle(lifecycle.stop())
    const b = await settle(lifecycle.stop())
    expect(a.error).toBeInstanceOf(ShutdownError)
    expect(b.error).toBe(a.error)
  })

  test('forceStop() during a stop joins it', async () => {
    const lifecycle = quiet()
    const stop = lifecycle.stop()
    expect(lifecycle.forceStop()).toBe(stop)
    await stop
  })
})
