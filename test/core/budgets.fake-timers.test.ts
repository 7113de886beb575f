import { TimeoutError } from 'p-timeout'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import {
  DEFAULTS,
  HookTimeoutError,
  Priority,
  ShutdownError,
  type StopContext,
  StopTimeoutError,
} from '../../src/index.js'
import { defined, hooksByName, never, quiet, settle } from './helpers.js'

// Under fake timers `Date.now()` is the fake clock: inject it as the lifecycle's monotonic clock.
const clock = { now: () => Date.now() }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a hook that never settles, with fake timers', () => {
  test('is marked `timeout` at its budget, and its signal aborts with a reason that names it', async () => {
    const lifecycle = quiet(clock)
    let context: StopContext | undefined
    const later: number[] = []
    lifecycle.onStop(
      'stuck',
      (ctx) => {
        context = ctx
        return never()
      },
      { timeout: 1_000 },
    )
    lifecycle.onStop('next', () => void later.push(Date.now()), { priority: Priority.RESOURCES })
    const begun = Date.now()
    const stopped = settle(lifecycle.stop())

    await vi.advanceTimersByTimeAsync(999)
    const signal = defined(context).signal
    expect(signal.aborted).toBe(false)
    expect(later).toEqual([])
    expect(lifecycle.running).toEqual(['stuck'])

    await vi.advanceTimersByTimeAsync(1)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBeInstanceOf(HookTimeoutError)
    expect(signal.reason).toBeInstanceOf(TimeoutError)
    expect(signal.reason).toMatchObject({ hook: 'stuck', timeout: 1_000, phase: 'stop' })
    expect((signal.reason as Error).message).toContain('`stuck`')
    expect((signal.reason as Error).message).toContain('1000 ms')
    // The lifecycle moved on at the budget, not later.
    expect(later).toEqual([begun + 1_000])

    const { error } = await stopped
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = defined(hooksByName((error as ShutdownError).report).get('stuck'))
    expect(hook.status).toBe('timeout')
    expect(hook.durationMs).toBe(1_000)
    expect(hook.error).toBe(signal.reason)
    expect((error as ShutdownError).message).toContain('`stuck` (timeout)')
  })

  test('a component without its own timeout gets `hookTimeout`, and without that DEFAULTS.hookTimeout', async () => {
    const custom = quiet({ ...clock, hookTimeout: 300 })
    custom.onStop('stuck', never)
    const defaults = quiet({ ...clock, timeout: DEFAULTS.hookTimeout * 2 })
    defaults.onStop('stuck', never)
    const a = settle(custom.stop())
    const b = settle(defaults.stop())
    await vi.advanceTimersByTimeAsync(DEFAULTS.hookTimeout)
    const [customResult, defaultResult] = await Promise.all([a, b])
    const customHook = hooksByName((customResult.error as ShutdownError).report).get('stuck')
    const defaultHook = hooksByName((defaultResult.error as ShutdownError).report).get('stuck')
    expect(customHook).toMatchObject({ status: 'timeout', durationMs: 300 })
    expect(defaultHook).toMatchObject({ status: 'timeout', durationMs: DEFAULTS.hookTimeout })
  })

  test('hooks of one phase time out each at its own budget', async () => {
    const lifecycle = quiet(clock)
    const abortedAt = new Map<string, number>()
    for (const [name, timeout] of [
      ['short', 100],
      ['long', 400],
    ] as const) {
      lifecycle.onStop(
        name,
        ({ signal }) => {
          signal.addEventListener('abort', () => abortedAt.set(name, Date.now()))
          return never()
        },
        { timeout },
      )
    }
    lifecycle.onStop('quick', () => {}, { timeout: 50 })
    const begun = Date.now()
    const stopped = settle(lifecycle.stop())
    await vi.advanceTimersByTimeAsync(400)
    const { error } = await stopped
    expect(abortedAt.get('short')).toBe(begun + 100)
    expect(abortedAt.get('long')).toBe(begun + 400)
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('short')).toMatchObject({ status: 'timeout', durationMs: 100 })
    expect(hooks.get('long')).toMatchObject({ status: 'timeout', durationMs: 400 })
    expect(hooks.get('quick')).toMatchObject({ status: 'ok' })
  })

  test('context.deadline is the epoch ms at which the budget ends, never after the whole stop', async () => {
    const lifecycle = quiet({ ...clock, timeout: 2_000 })
    const deadlines = new Map<string, number>()
    lifecycle.onStop('small', ({ deadline }) => void deadlines.set('small', deadline), { timeout: 500 })
    lifecycle.onStop('big', ({ deadline }) => void deadlines.set('big', deadline), { timeout: 1_500 })
    const begun = Date.now()
    await vi.advanceTimersByTimeAsync(100)
    await lifecycle.stop()
    expect(deadlines.get('small')).toBe(begun + 100 + 500)
    // 1 500 ms fits, but a later phase's hook gets what remains of the 2 000 ms.
    expect(deadlines.get('big')).toBe(begun + 100 + 1_500)

    const late = quiet({ ...clock, timeout: 1_000 })
    let lateDeadline = 0
    late.onStop('first', () => new Promise<void>((resolve) => setTimeout(resolve, 800)), { priority: 1 })
    late.onStop(
      'second',
      ({ deadline }) => {
        lateDeadline = deadline
      },
      { timeout: 5_000 },
    )
    const start = Date.now()
    const stopped = late.stop()
    await vi.advanceTimersByTimeAsync(800)
    await stopped
    expect(lateDeadline).toBe(start + 1_000)
  })

  test('a start hook that never settles times out at its start budget', async () => {
    const lifecycle = quiet({ ...clock, startTimeout: 700 })
    let signal: AbortSignal | undefined
    lifecycle.onStart('warm', (context) => {
      signal = context.signal
      return never()
    })
    const begun = Date.now()
    let deadline = 0
    lifecycle.onStart(
      'first',
      (context) => {
        deadline = context.deadline
      },
      { priority: -1, timeout: 250 },
    )
    const started = settle(lifecycle.start())
    expect(deadline).toBe(begun + 250)
    await vi.advanceTimersByTimeAsync(699)
    expect(defined(signal).aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(defined(signal).reason).toMatchObject({ name: 'HookTimeoutError', hook: 'warm', phase: 'start' })
    const { error } = await started
    expect((error as Error).message).toContain('`warm` (timeout)')
  })
})

describe('the whole stop outliving `timeout`, with fake timers', () => {
  test('aborts the running hooks; later phases still run with aborted signals and only `finalGrace`', async () => {
    const lifecycle = quiet({ ...clock, timeout: 5_000, hookTimeout: 60_000, finalGrace: 200 })
    const seen: Record<string, { aborted: boolean; reason: unknown; at: number }> = {}
    const record = (name: string, context: StopContext): void => {
      seen[name] = { aborted: context.signal.aborted, reason: context.signal.reason, at: Date.now() }
    }
    let slowSignal: AbortSignal | undefined
    lifecycle.onStop(
      'http',
      (context) => {
        slowSignal = context.signal
        record('http', context)
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('queue', (context) => void record('queue', context), { priority: Priority.INGRESS })
    lifecycle.onStop(
      'pool',
      (context) => {
        record('pool', context)
        return new Promise<void>((resolve) => setTimeout(resolve, 50))
      },
      { priority: Priority.RESOURCES },
    )
    lifecycle.onStop(
      'logs',
      (context) => {
        record('logs', context)
        return never()
      },
      { priority: Priority.TELEMETRY },
    )
    const begun = Date.now()
    const stopped = settle(lifecycle.stop())

    await vi.advanceTimersByTimeAsync(4_999)
    expect(defined(slowSignal).aborted).toBe(false)
    expect(seen.pool).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    const reason = defined(slowSignal).reason
    expect(reason).toBeInstanceOf(StopTimeoutError)
    expect(reason).toBeInstanceOf(TimeoutError)
    expect((reason as StopTimeoutError).hooks).toEqual(['http'])
    expect((reason as Error).message).toContain('`http`')
    expect((reason as Error).message).toContain('5000 ms')

    // The later phases ran at once, their signals already aborted with the same reason.
    expect(seen.pool).toEqual({ aborted: true, reason, at: begun + 5_000 })
    await vi.advanceTimersByTimeAsync(50)
    expect(seen.logs).toEqual({ aborted: true, reason, at: begun + 5_050 })
    await vi.advanceTimersByTimeAsync(200)

    const { error } = await stopped
    expect(error).toBeInstanceOf(ShutdownError)
    const report = (error as ShutdownError).report
    const hooks = hooksByName(report)
    expect(hooks.get('queue')).toMatchObject({ status: 'ok' })
    expect(hooks.get('http')).toMatchObject({ status: 'timeout', durationMs: 5_000, error: reason })
    expect(hooks.get('pool')).toMatchObject({ status: 'ok', durationMs: 50 })
    // `logs` never settles: it gets `finalGrace`, not its 60 s budget.
    expect(hooks.get('logs')).toMatchObject({ status: 'timeout', durationMs: 200 })
    expect(hooks.get('logs')?.error).toMatchObject({ name: 'HookTimeoutError', hook: 'logs', timeout: 200 })
    expect(report.durationMs).toBe(5_250)
    expect((error as ShutdownError).message).toContain('`http` (timeout)')
    expect((error as ShutdownError).message).toContain('`logs` (timeout)')
  })

  test('abandons a hook that ignores its aborted signal: the stop does not wait for it', async () => {
    const lifecycle = quiet({ ...clock, timeout: 1_000, hookTimeout: 10_000, finalGrace: 100 })
    lifecycle.onStop('deaf', never, { priority: 1 })
    let ranAt = 0
    lifecycle.onStop('after', () => {
      ranAt = Date.now()
    })
    const begun = Date.now()
    const stopped = settle(lifecycle.stop())
    await vi.advanceTimersByTimeAsync(1_000)
    const { error } = await stopped
    expect(ranAt).toBe(begun + 1_000)
    expect(lifecycle.state).toBe('stopped')
    expect((error as ShutdownError).report.durationMs).toBe(1_000)
  })

  test('sequential: the hooks still to run in the phase get aborted signals and `finalGrace`', async () => {
    const lifecycle = quiet({
      ...clock,
      timeout: 1_000,
      hookTimeout: 10_000,
      finalGrace: 100,
      sequential: true,
    })
    const aborted: Record<string, boolean> = {}
    // Last registered first: `b` runs first and outlives the deadline.
    lifecycle.onStop('a', ({ signal }) => {
      aborted.a = signal.aborted
      return never()
    })
    lifecycle.onStop('b', ({ signal }) => {
      aborted.b = signal.aborted
      return never()
    })
    const stopped = settle(lifecycle.stop())
    await vi.advanceTimersByTimeAsync(1_100)
    const { error } = await stopped
    expect(aborted).toEqual({ b: false, a: true })
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('b')).toMatchObject({ status: 'timeout', durationMs: 1_000 })
    expect(hooks.get('a')).toMatchObject({ status: 'timeout', durationMs: 100, startMs: 1_000 })
  })

  test('sequential: a hook whose budget ends before the previous one would have is given up on at its own', async () => {
    const lifecycle = quiet({ ...clock, timeout: 5_000, sequential: true })
    let abortedAt: number | undefined
    // Last registered first: `slow` (1 s budget) ends after 100 ms, then `short` (200 ms) never settles.
    lifecycle.onStop(
      'short',
      ({ signal }) => {
        signal.addEventListener('abort', () => {
          abortedAt = Date.now()
        })
        return never()
      },
      { timeout: 200 },
    )
    lifecycle.onStop('slow', () => new Promise<void>((resolve) => setTimeout(resolve, 100)), {
      timeout: 1_000,
    })
    const begun = Date.now()
    const stopped = settle(lifecycle.stop())
    await vi.advanceTimersByTimeAsync(300)
    expect(abortedAt).toBe(begun + 300)
    const { error } = await stopped
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('slow')).toMatchObject({ status: 'ok', startMs: 0, durationMs: 100 })
    expect(hooks.get('short')).toMatchObject({ status: 'timeout', startMs: 100, durationMs: 200 })
    expect((error as ShutdownError).report.durationMs).toBe(300)
  })
})
