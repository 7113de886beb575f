import { describe, expect, test } from 'vitest'
import { ErrorCode, StoppingError } from '../../src/index.js'
import { deferred, never, quiet } from './helpers.js'

describe('lifecycle.signal', () => {
  test('is not aborted while running, and aborts the moment stop() is called', async () => {
    const lifecycle = quiet()
    await lifecycle.start()
    const { signal } = lifecycle
    expect(signal.aborted).toBe(false)
    let abortedAtStopping: boolean | undefined
    lifecycle.on('stopping', () => {
      abortedAtStopping = lifecycle.signal.aborted
    })
    const stopped = lifecycle.stop({ type: 'signal', signal: 'SIGTERM' })
    // Synchronously: before any hook has run.
    expect(signal.aborted).toBe(true)
    expect(abortedAtStopping).toBe(true)
    expect(signal.reason).toBeInstanceOf(StoppingError)
    expect(signal.reason.code).toBe(ErrorCode.STOPPING)
    expect(signal.reason.reason).toEqual({ type: 'signal', signal: 'SIGTERM' })
    expect(signal.reason.message).toContain('SIGTERM')
    await stopped
    expect(lifecycle.signal).toBe(signal)
  })

  test('a loop watching it ends when the stop begins, before the hooks that wait for it', async () => {
    const lifecycle = quiet()
    const events: string[] = []
    const loopEnded = deferred()
    const loop = async (): Promise<void> => {
      while (!lifecycle.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1))
      events.push('loop ended')
      loopEnded.resolve()
    }
    void loop()
    lifecycle.onStop('wait-for-loop', async () => {
      events.push('hook')
      await loopEnded.promise
    })
    await lifecycle.stop()
    expect(events).toEqual(['hook', 'loop ended'])
  })

  test('aborts when a stop interrupts start()', async () => {
    // The stop waits for a start hook that ignores its signal up to its start budget: keep it short.
    const lifecycle = quiet({ startTimeout: 20 })
    lifecycle.register({ name: 'slow', start: never, stop: () => {} })
    void lifecycle.start().catch(() => {})
    await Promise.resolve()
    expect(lifecycle.signal.aborted).toBe(false)
    const stopped = lifecycle.stop()
    expect(lifecycle.signal.aborted).toBe(true)
    // The abandoned start hook is named, and the stop is not ok (issue 8).
    await expect(stopped).rejects.toThrow(/`slow` \(timeout\)/)
  })
})
