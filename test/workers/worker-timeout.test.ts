import { describe, expect, it } from 'vitest'
import { HookTimeoutError, Lifecycle, ShutdownError } from '../../src/index.js'
import { worker } from '../../src/workers/index.js'

describe('worker() whose loop ignores its signal', () => {
  it('is marked timeout at its budget, abandoned, and the stop moves on', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const after: string[] = []
    lifecycle.register(worker(() => new Promise(() => {}), { name: 'stubborn', timeout: 80 }))
    lifecycle.onStop('db', () => after.push('db'))
    await lifecycle.start()
    const started = performance.now()
    const error = await lifecycle.stop().catch((e: unknown) => e)
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({ name: 'stubborn', status: 'timeout', details: { exit: 'abandoned' } })
    expect(hook?.error).toBeInstanceOf(HookTimeoutError)
    expect(hook?.error).toMatchObject({ message: expect.stringContaining('stubborn') })
    expect(after).toEqual(['db'])
    expect(elapsed).toBeGreaterThanOrEqual(75)
    expect(elapsed).toBeLessThan(1_000)
  })
})
