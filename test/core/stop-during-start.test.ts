import { describe, expect, test } from 'vitest'
import {
  InvalidStateError,
  Priority,
  type ShutdownError,
  StartError,
  StoppingError,
  StopTimeoutError,
} from '../../src/index.js'
import { deferred, defined, hooksByName, never, quiet, settle } from './helpers.js'

describe('stop() called from inside the start, before its first hook has ended', () => {
  test('from a `starting` listener: no start hook runs, start() rejects, the stop is ok', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    for (const name of ['db', 'http']) {
      lifecycle.register({
        name,
        start: () => void calls.push(`start:${name}`),
        stop: () => void calls.push(`stop:${name}`),
      })
    }
    let stopping: Promise<unknown> | undefined
    lifecycle.once('starting', () => {
      stopping = lifecycle.stop()
    })
    // Before: the stop found no start under way; both components started after it, and neither
    // was ever stopped, while start() resolved.
    await expect(lifecycle.start()).rejects.toBeInstanceOf(StartError)
    await expect(stopping).resolves.toMatchObject({ ok: true })
    expect(calls).toEqual([])
    expect(lifecycle.state).toBe('stopped')
  })

  test('from a start hook of the first phase: what started in that phase is stopped', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    lifecycle.register({
      name: 'trigger',
      start: () => {
        calls.push('start:trigger')
        void lifecycle.stop()
      },
      stop: () => void calls.push('stop:trigger'),
    })
    lifecycle.register({
      name: 'db',
      start: () => void calls.push('start:db'),
      stop: () => void calls.push('stop:db'),
    })
    lifecycle.register({
      name: 'later',
      priority: Priority.INGRESS,
      start: () => void calls.push('start:later'),
      stop: () => void calls.push('stop:later'),
    })
    await lifecycle.start().catch(() => {})
    const report = await lifecycle.stop()
    expect(report.ok).toBe(true)
    // Every component that started is stopped; nothing starts after the stop began.
    const started = calls.filter((call) => call.startsWith('start:')).map((call) => call.slice(6))
    const stopped = calls.filter((call) => call.startsWith('stop:')).map((call) => call.slice(5))
    expect(started).not.toContain('later')
    expect(stopped.sort()).toEqual(started.sort())
    expect(started).toContain('trigger')
  })
})

describe('stop() during start()', () => {
  test('aborts the start, stops what had started, and leaves the rest alone', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    const dbStarted = deferred()
    let httpStartSignal: AbortSignal | undefined
    lifecycle.register({
      name: 'db',
      priority: Priority.RESOURCES,
      start: () => {
        calls.push('start:db')
        dbStarted.resolve()
      },
      stop: () => void calls.push('stop:db'),
    })
    lifecycle.register({
      name: 'cache',
      priority: Priority.DEFAULT,
      start: ({ signal }) => {
        calls.push('start:cache')
        httpStartSignal = signal
        // A well-behaved start gives up when its signal aborts.
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
      },
      stop: () => void calls.push('stop:cache'),
    })
    lifecycle.register({
      name: 'http',
      priority: Priority.INGRESS,
      start: () => void calls.push('start:http'),
      stop: () => void calls.push('stop:http'),
    })
    lifecycle.onStop('metrics', () => void calls.push('stop:metrics'), { priority: Priority.TELEMETRY })

    const started = settle(lifecycle.start())
    await dbStarted.promise
    await new Promise((resolve) => setImmediate(resolve))
    expect(lifecycle.state).toBe('starting')
    const stopped = lifecycle.stop({ type: 'signal', signal: 'SIGTERM' })
    expect(lifecycle.state).toBe('stopping')

    const report = await stopped
    const { error } = await started
    expect(defined(httpStartSignal).aborted).toBe(true)
    expect(defined(httpStartSignal).reason).toBeInstanceOf(StoppingError)
    expect((defined(httpStartSignal).reason as StoppingError).reason).toEqual({
      type: 'signal',
      signal: 'SIGTERM',
    })
    expect(error).toBeInstanceOf(StartError)
    expect((error as Error).message).toContain('SIGTERM')
    expect(calls).toEqual(['start:db', 'start:cache', 'stop:db', 'stop:metrics'])
    expect([...hooksByName(report).keys()]).toEqual(['db', 'metrics'])
    expect(lifecycle.state).toBe('stopped')
  })

  test('a start hook that finishes despite the abort counts as started and is stopped', async () => {
    const lifecycle = quiet()
    const gate = deferred()
    const stopped: string[] = []
    lifecycle.register({
      name: 'stubborn',
      start: () => gate.promise,
      stop: () => void stopped.push('stubborn'),
    })
    lifecycle.register({
      name: 'later',
      priority: 50,
      start: () => {},
      stop: () => void stopped.push('later'),
    })
    const started = settle(lifecycle.start())
    await Promise.resolve()
    const stopping = lifecycle.stop()
    setTimeout(() => gate.resolve(), 10)
    await stopping
    expect(stopped).toEqual(['stubborn'])
    expect((await started).error).toBeInstanceOf(StartError)
  })

  test('a stop during start still honours the stop timeout when a start hook never settles', async () => {
    const lifecycle = quiet({ timeout: 50, startTimeout: 10_000 })
    lifecycle.register({ name: 'deaf', start: never, stop: () => {} })
    const started = settle(lifecycle.start())
    await Promise.resolve()
    const begun = performance.now()
    const { error } = await settle(lifecycle.stop())
    expect(performance.now() - begun).toBeLessThan(1_000)
    // Contract change (issue 8): the start hook the stop gave up on is named, and the stop is not ok.
    const report = (error as ShutdownError).report
    expect(report.ok).toBe(false)
    // Its start never succeeded: it is not stopped; its start phase is the report's first.
    expect(report.phases.map((phase) => phase.kind)).toEqual(['start'])
    expect(report.phases[0]?.hooks.map((hook) => [hook.name, hook.status])).toEqual([['deaf', 'timeout']])
    expect(report.phases[0]?.hooks[0]?.error).toBeInstanceOf(StopTimeoutError)
    void started
  })

  test('when the stop deadline passes while a start hook ignores its abort, what started is stopped with aborted signals', async () => {
    const lifecycle = quiet({ timeout: 50, finalGrace: 30, startTimeout: 10_000 })
    let dbSignal: AbortSignal | undefined
    lifecycle.register({
      name: 'db',
      priority: Priority.RESOURCES,
      start: () => {},
      stop: ({ signal }) => {
        dbSignal = signal
      },
    })
    lifecycle.register({ name: 'deaf', start: never, stop: () => {} })
    const started = settle(lifecycle.start())
    await new Promise((resolve) => setImmediate(resolve))
    const { error: stopError } = await settle(lifecycle.stop())
    const report = (stopError as ShutdownError).report
    expect(defined(dbSignal).aborted).toBe(true)
    expect(defined(dbSignal).reason).toBeInstanceOf(StopTimeoutError)
    expect((defined(dbSignal).reason as StopTimeoutError).hooks).toEqual(['deaf'])
    // `deaf` is named in the report (issue 8), in a start phase before the stop's.
    expect([...hooksByName(report).keys()]).toEqual(['deaf', 'db'])
    expect(hooksByName(report).get('deaf')?.status).toBe('timeout')
    expect(report.durationMs).toBeLessThan(1_000)
    // The start hook was abandoned like any running hook: start() settles with the stop.
    const begun = performance.now()
    const { error } = await started
    expect(performance.now() - begun).toBeLessThan(500)
    expect(error).toBeInstanceOf(StartError)
    expect((error as StartError).hooks).toEqual(['deaf'])
    expect((error as StartError).errors[0]).toBeInstanceOf(StopTimeoutError)
  })

  test('start() after stop() is refused with an InvalidStateError (a state error, not a TypeError)', async () => {
    const lifecycle = quiet()
    await lifecycle.stop()
    const { error } = await settle(lifecycle.start())
    expect(error).toBeInstanceOf(InvalidStateError)
    // Issue 16: InvalidStateError extends LifecycleError; it was a TypeError before.
    expect(error).not.toBeInstanceOf(TypeError)
    expect((error as Error).message).toContain('stopped')
  })

  test('start() twice returns the same promise and runs every start hook once', async () => {
    const lifecycle = quiet()
    let calls = 0
    lifecycle.onStart('once', () => {
      calls++
    })
    const a = lifecycle.start()
    expect(lifecycle.start()).toBe(a)
    await a
    expect(lifecycle.start()).toBe(a)
    expect(calls).toBe(1)
  })
})
