import { describe, expect, test } from 'vitest'
import { HookTimeoutError, Priority, StartError } from '../../src/index.js'
import { defined, hooksByName, never, quiet, settle } from './helpers.js'

describe('start() rolls back when a start hook fails', () => {
  test('the components already started are stopped in stop order; the rest are not stopped', async () => {
    // A stop that waited for its own budget would take the whole 5 s `timeout`.
    const lifecycle = quiet({ timeout: 5_000 })
    const calls: string[] = []
    const component = (name: string, priority: number, fail = false) =>
      lifecycle.register({
        name,
        priority,
        start: () => {
          calls.push(`start:${name}`)
          if (fail) throw new Error(`${name} cannot start`)
        },
        stop: ({ signal }) => {
          calls.push(`stop:${name}${signal.aborted ? ' (aborted)' : ''}`)
        },
      })
    component('telemetry', Priority.TELEMETRY)
    component('db', Priority.RESOURCES)
    component('cache', Priority.RESOURCES)
    component('app', Priority.DEFAULT, true)
    component('http', Priority.INGRESS)

    const begun = performance.now()
    const { error } = await settle(lifecycle.start())
    const elapsed = performance.now() - begun

    expect(error).toBeInstanceOf(StartError)
    const startError = error as StartError
    expect(startError.hooks).toEqual(['app'])
    expect(startError.message).toContain('`app`')
    expect(startError.cause).toBeInstanceOf(Error)
    expect((startError.cause as Error).message).toBe('app cannot start')
    expect(calls).toEqual([
      'start:telemetry',
      'start:db',
      'start:cache',
      'start:app',
      // RESOURCES before TELEMETRY; within a phase, concurrently in registration order.
      'stop:db',
      'stop:cache',
      'stop:telemetry',
    ])
    expect(elapsed).toBeLessThan(1_000)
    expect(lifecycle.state).toBe('stopped')
    const report = startError.report
    expect(report?.reason).toEqual({ type: 'error', error: startError.cause })
    expect(report?.ok).toBe(true)
    expect([...hooksByName(defined(report)).keys()]).toEqual(['db', 'cache', 'telemetry'])
  })

  test('a start hook that outlives its start budget fails the start and is not stopped', async () => {
    const lifecycle = quiet()
    const stopped: string[] = []
    let startSignal: AbortSignal | undefined
    lifecycle.register({
      name: 'db',
      priority: Priority.RESOURCES,
      start: () => {},
      stop: () => void stopped.push('db'),
    })
    lifecycle.register({
      name: 'slow',
      startTimeout: 30,
      start: ({ signal }) => {
        startSignal = signal
        return never()
      },
      stop: () => void stopped.push('slow'),
    })
    const { error } = await settle(lifecycle.start())
    expect(error).toBeInstanceOf(StartError)
    expect((error as StartError).hooks).toEqual(['slow'])
    expect((error as StartError).message).toContain('`slow` (timeout)')
    expect((error as StartError).errors[0]).toBeInstanceOf(HookTimeoutError)
    const signal = defined(startSignal)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBeInstanceOf(HookTimeoutError)
    expect((signal.reason as HookTimeoutError).hook).toBe('slow')
    expect((signal.reason as HookTimeoutError).phase).toBe('start')
    expect(stopped).toEqual(['db'])
  })

  test('every failing hook of the failing phase is named', async () => {
    const lifecycle = quiet()
    lifecycle.register({ name: 'a', start: () => Promise.reject(new Error('a')), stop: () => {} })
    lifecycle.register({ name: 'b', start: () => {}, stop: () => {} })
    lifecycle.register({ name: 'c', start: () => Promise.reject(new Error('c')), stop: () => {} })
    const { error } = await settle(lifecycle.start())
    expect((error as StartError).hooks).toEqual(['a', 'c'])
    expect((error as StartError).errors.map((e) => (e as Error).message)).toEqual(['a', 'c'])
    // `b` started in the same phase: it is stopped.
    expect([...hooksByName(defined((error as StartError).report)).keys()]).toEqual(['b'])
  })

  test('a rollback that does not end cleanly says so and carries the report', async () => {
    const lifecycle = quiet()
    lifecycle.register({
      name: 'db',
      priority: Priority.RESOURCES,
      start: () => {},
      stop: () => {
        throw new Error('pool.end failed')
      },
    })
    lifecycle.onStart('app', () => {
      throw new Error('boom')
    })
    const { error } = await settle(lifecycle.start())
    expect(error).toBeInstanceOf(StartError)
    expect((error as StartError).message).toContain('not cleanly')
    expect((error as StartError).report?.ok).toBe(false)
    expect(hooksByName(defined((error as StartError).report)).get('db')?.status).toBe('error')
  })

  test('after a failed start, start() is refused and stop() returns the rollback report', async () => {
    const lifecycle = quiet()
    lifecycle.onStart('app', () => {
      throw new Error('boom')
    })
    const { error } = await settle(lifecycle.start())
    await expect(lifecycle.start()).rejects.toThrow(/Cannot start: the lifecycle is stopped/)
    const report = await lifecycle.stop()
    expect(report).toBe((error as StartError).report)
  })

  test('sequential: the start ends at the first failing hook; the ones after it in its phase never start', async () => {
    const lifecycle = quiet({ sequential: true })
    const calls: string[] = []
    for (const name of ['a', 'b', 'c']) {
      lifecycle.register({
        name,
        start: () => {
          calls.push(`start:${name}`)
          if (name === 'b') throw new Error('b cannot start')
        },
        stop: () => void calls.push(`stop:${name}`),
      })
    }
    const { error } = await settle(lifecycle.start())
    expect((error as StartError).hooks).toEqual(['b'])
    expect(calls).toEqual(['start:a', 'start:b', 'stop:a'])
  })
})
