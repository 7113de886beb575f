import { describe, expect, test, vi } from 'vitest'
import { DEFAULTS, InvalidStateError, Lifecycle, Priority, ShutdownError } from '../../src/index.js'
import { deferred, defined, hooksByName, quiet, settle } from './helpers.js'

describe('lifecycle.track()', () => {
  test('the WORKERS phase waits for tracked promises: after INGRESS, before RESOURCES', async () => {
    const lifecycle = quiet()
    const events: string[] = []
    const job = deferred<string>()
    const tracked = lifecycle.track(job.promise)
    lifecycle.onStop('http', () => void events.push('http'), { priority: Priority.INGRESS })
    lifecycle.onStop('pool', () => void events.push('pool'), { priority: Priority.RESOURCES })
    lifecycle.onStop(
      'consumer',
      async () => {
        events.push('consumer')
        await new Promise((resolve) => setTimeout(resolve, 20))
        events.push('job done')
        job.resolve('sent')
      },
      { priority: Priority.WORKERS },
    )
    const report = await lifecycle.stop()
    expect(await tracked).toBe('sent')
    expect(events).toEqual(['http', 'consumer', 'job done', 'pool'])
    const workers = defined(report.phases.find((phase) => phase.priority === Priority.WORKERS))
    expect(workers.hooks.map((hook) => hook.name)).toEqual(['consumer', DEFAULTS.trackedHookName])
    const hook = defined(hooksByName(report).get(DEFAULTS.trackedHookName))
    expect(hook.status).toBe('ok')
    expect(hook.details).toMatchObject({ awaited: 1, pending: 0 })
  })

  test('a tracked function gets lifecycle.signal and is awaited', async () => {
    const lifecycle = quiet()
    let received: AbortSignal | undefined
    let finished = false
    const result = lifecycle.track(async (signal) => {
      received = signal
      await new Promise((resolve) => signal.addEventListener('abort', resolve))
      await new Promise((resolve) => setTimeout(resolve, 10))
      finished = true
      return 42
    })
    expect(received).toBe(lifecycle.signal)
    await lifecycle.stop()
    expect(finished).toBe(true)
    expect(await result).toBe(42)
  })

  test('work tracked during the stop (by an earlier phase) is awaited too', async () => {
    const lifecycle = quiet()
    lifecycle.track(Promise.resolve())
    let done = false
    lifecycle.onStop(
      'http',
      () => {
        lifecycle.track(
          new Promise<void>((resolve) => setTimeout(resolve, 15)).then(() => {
            done = true
          }),
        )
      },
      { priority: Priority.INGRESS },
    )
    let doneBeforePool: boolean | undefined
    lifecycle.onStop(
      'pool',
      () => {
        doneBeforePool = done
      },
      { priority: Priority.RESOURCES },
    )
    const report = await lifecycle.stop()
    expect(doneBeforePool).toBe(true)
    expect(hooksByName(report).get(DEFAULTS.trackedHookName)?.details).toMatchObject({
      awaited: 1,
      pending: 0,
    })
  })

  test('a tracked task that fails while the stop waits for it fails the stop, with the error in the report', async () => {
    const lifecycle = quiet()
    const failure = new Error('email not sent')
    const job = deferred()
    const tracked = settle(lifecycle.track(job.promise))
    lifecycle.track(new Promise((resolve) => setTimeout(resolve, 5)))
    // It fails while the WORKERS phase is waiting for it.
    lifecycle.onStop('consumer', () => void setTimeout(() => job.reject(failure), 20), {
      priority: Priority.WORKERS,
    })
    const { error } = await settle(lifecycle.stop())
    expect((await tracked).error).toBe(failure)
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = defined(hooksByName((error as ShutdownError).report).get(DEFAULTS.trackedHookName))
    expect(hook.status).toBe('error')
    expect(hook.error).toBeInstanceOf(AggregateError)
    expect((hook.error as AggregateError).errors).toEqual([failure])
    expect((hook.error as Error).message).toContain('1 of 2 tracked tasks failed')
    expect(hook.details).toMatchObject({ failed: 1, awaited: 2 })
  })

  test('a tracked task that fails after the stop began, before the WORKERS phase, fails the stop too', async () => {
    const lifecycle = quiet()
    const failure = new Error('upload failed')
    const job = deferred()
    void settle(lifecycle.track(job.promise))
    lifecycle.onStop('http', () => job.reject(failure), { priority: Priority.INGRESS })
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = defined(hooksByName((error as ShutdownError).report).get(DEFAULTS.trackedHookName))
    expect(hook.status).toBe('error')
    expect((hook.error as AggregateError).errors).toEqual([failure])
    expect(hook.details).toMatchObject({ failed: 1 })
  })

  test('a tracked task that fails before the stop is logged and emitted as `warning`, never swallowed', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    const lifecycle = new Lifecycle({ logger })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    const failure = new Error('email not sent')
    await expect(lifecycle.track(Promise.reject(failure))).rejects.toBe(failure)
    await new Promise((resolve) => setImmediate(resolve))
    const logged = logger.error.mock.calls.flat()
    expect(logged.map(String).join('\n')).toContain('tracked task failed')
    expect(logged).toContain(failure)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('tracked task failed')
    expect(warnings[0]).toContain('email not sent')
    // Long before the stop: the process went on, so the stop itself is clean.
    const report = await lifecycle.stop()
    expect(hooksByName(report).get(DEFAULTS.trackedHookName)?.status).toBe('ok')
  })

  test('a tracked task that outlives the hook budget is marked `timeout` with the tracked hook named', async () => {
    const lifecycle = quiet({ hookTimeout: 30 })
    lifecycle.track(new Promise(() => {}))
    const { error } = await settle(lifecycle.stop())
    const hook = defined(hooksByName((error as ShutdownError).report).get(DEFAULTS.trackedHookName))
    expect(hook.status).toBe('timeout')
    expect((hook.error as Error).message).toContain(DEFAULTS.trackedHookName)
  })

  test('without tracked work there is no tracked hook in the report', async () => {
    const lifecycle = quiet()
    lifecycle.onStop('x', () => {})
    expect(hooksByName(await lifecycle.stop()).has(DEFAULTS.trackedHookName)).toBe(false)
  })

  test('track() after the stop is refused with an InvalidStateError', async () => {
    const lifecycle = quiet()
    lifecycle.track(Promise.resolve())
    await lifecycle.stop()
    expect(() => lifecycle.track(Promise.resolve())).toThrow(InvalidStateError)
    expect(() => lifecycle.track(() => 1)).toThrow(InvalidStateError)
  })
})

describe('work tracked during the stop', () => {
  test('a task tracked by an earlier phase is waited for by WORKERS, even when nothing was tracked before the stop', async () => {
    const lifecycle = quiet()
    let finished = false
    lifecycle.onStop(
      'http',
      () => {
        void lifecycle.track(
          new Promise<void>((resolve) =>
            setTimeout(() => {
              finished = true
              resolve()
            }, 50),
          ),
        )
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(finished).toBe(true)
    expect(report.phases.map((phase) => phase.hooks.map((hook) => hook.name))).toEqual([
      ['http'],
      ['lifecycle.track'],
      ['db'],
    ])
  })
})
