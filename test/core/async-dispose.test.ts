import { describe, expect, test } from 'vitest'
import { Lifecycle, type ShutdownReport } from '../../src/index.js'

// vitest's esbuild transform handles `await using` (checked): this is the real syntax, not a
// hand-written call to `lifecycle[Symbol.asyncDispose]()`.
describe('await using', () => {
  test('stops the lifecycle at the end of the scope, with reason `disposed`', async () => {
    const stopped: string[] = []
    let report: ShutdownReport | undefined
    let inside: Lifecycle | undefined
    {
      await using lifecycle = new Lifecycle({ logger: false })
      inside = lifecycle
      lifecycle.on('stopped', (r) => {
        report = r
      })
      lifecycle.onStop('pool', () => void stopped.push('pool'))
      await lifecycle.start()
      expect(lifecycle.state).toBe('running')
      expect(stopped).toEqual([])
    }
    expect(stopped).toEqual(['pool'])
    expect(inside.state).toBe('stopped')
    expect(report?.reason).toEqual({ type: 'disposed' })
  })

  test('a failed stop surfaces from the disposal as the ShutdownError', async () => {
    const attempt = async (): Promise<void> => {
      await using lifecycle = new Lifecycle({ logger: false })
      lifecycle.onStop('bad', () => {
        throw new Error('bad')
      })
    }
    await expect(attempt()).rejects.toMatchObject({ name: 'ShutdownError' })
  })

  test('disposing a lifecycle that was already stopped does not run its hooks again', async () => {
    let calls = 0
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.onStop('once', () => {
      calls++
    })
    await lifecycle.stop()
    await lifecycle[Symbol.asyncDispose]()
    expect(calls).toBe(1)
  })
})
