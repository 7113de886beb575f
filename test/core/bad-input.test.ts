import { describe, expect, test } from 'vitest'
import { formatTimeline } from '../../src/core/report/index.js'
import { ErrorCode, InvalidStateError, Lifecycle, LifecycleError, type StopReason } from '../../src/index.js'
import { quiet } from './helpers.js'

/** Calls `fn`, and checks it threw a TypeError whose message names each of `names` (in backticks). */
function expectTypeError(fn: () => unknown, ...names: string[]): TypeError & { code?: string } {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(TypeError)
  const error = thrown as TypeError & { code?: string }
  for (const name of names) expect(error.message).toContain(`\`${name}\``)
  return error
}

/**
 * Calls `fn`, and checks it threw an InvalidStateError (a state error: a LifecycleError, not a
 * TypeError, since issue 16) whose message names each of `names`.
 */
function expectStateError(fn: () => unknown, ...names: string[]): InvalidStateError {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(InvalidStateError)
  expect(thrown).toBeInstanceOf(LifecycleError)
  expect(thrown).not.toBeInstanceOf(TypeError)
  const error = thrown as InvalidStateError
  expect(error.code).toBe(ErrorCode.INVALID_STATE)
  for (const name of names) expect(error.message).toContain(`\`${name}\``)
  return error
}

const noop = (): void => {}
// Bad input is, by definition, not what the types allow.
type Loose = Record<string, unknown>
const newLifecycle = (options: unknown) => new Lifecycle(options as Loose)

describe('new Lifecycle(options)', () => {
  test('options that are not an object', () => {
    expectTypeError(() => newLifecycle('fast'), 'options', 'new Lifecycle()')
  })
  test('an unknown option key', () => {
    const error = expectTypeError(() => newLifecycle({ timeOut: 5_000 }), 'timeOut', 'new Lifecycle()')
    expect(error.message).toContain('`timeout`')
    expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT)
  })
  test('a typo of a known key names the key it most likely meant; a word far from all does not', () => {
    expect(() => newLifecycle({ hooktimeout: 1 })).toThrow(/`hooktimeout`.* \(did you mean `hookTimeout`\?\)/)
    expect(() => newLifecycle({ timout: 1 })).toThrow(/\(did you mean `timeout`\?\)/)
    expect(() => newLifecycle({ colour: 1 })).not.toThrow(/did you mean/)
    expect(() => newLifecycle({ colour: 1 })).toThrow(/Unknown option `colour`/)
  })
  test('an own `__proto__` key (as JSON.parse makes one) is refused with the keys it may have been', () => {
    const parsed = JSON.parse('{"__proto__": {"timeout": 1}}') as unknown
    const error = expectTypeError(() => newLifecycle(parsed), '__proto__', 'new Lifecycle()')
    expect(error.message).toContain('expected one of `timeout`')
    expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT)
  })
  test('a negative timeout', () => {
    const error = expectTypeError(() => newLifecycle({ timeout: -1 }), 'timeout', 'new Lifecycle()')
    expect(error.message).toMatch(/got `-1` \(number\)/)
  })
  test('a timeout longer than a timer can wait (before: accepted, then the stop timed out at once)', () => {
    const error = expectTypeError(() => newLifecycle({ timeout: 2 ** 31 }), 'timeout', 'new Lifecycle()')
    expect(error.message).toContain('from 0 to 2147483647')
    expect(() => newLifecycle({ hookTimeout: 1e10 })).toThrow(/`hookTimeout`/)
    expect(() => quiet().onStop('x', noop, { timeout: 2 ** 31 })).toThrow(/`timeout`/)
    expect(() => newLifecycle({ timeout: 2 ** 31 - 1 })).not.toThrow()
  })
  test('a NaN timeout', () => {
    expectTypeError(() => newLifecycle({ timeout: Number.NaN }), 'timeout', 'NaN')
  })
  test('an Infinity timeout', () => {
    expectTypeError(() => newLifecycle({ timeout: Number.POSITIVE_INFINITY }), 'timeout', 'Infinity')
  })
  test('a timeout given as a string', () => {
    const error = expectTypeError(() => newLifecycle({ timeout: '25s' }), 'timeout')
    expect(error.message).toContain('(string)')
  })
  test('a negative hookTimeout', () => {
    expectTypeError(() => newLifecycle({ hookTimeout: -5 }), 'hookTimeout', 'new Lifecycle()')
  })
  test('a NaN startTimeout', () => {
    expectTypeError(() => newLifecycle({ startTimeout: Number.NaN }), 'startTimeout', 'new Lifecycle()')
  })
  test('an Infinity finalGrace', () => {
    expectTypeError(() => newLifecycle({ finalGrace: Number.POSITIVE_INFINITY }), 'finalGrace')
  })
  test('a negative gracePeriod', () => {
    expectTypeError(() => newLifecycle({ gracePeriod: -30_000 }), 'gracePeriod')
  })
  test('a sequential that is not a boolean', () => {
    expectTypeError(() => newLifecycle({ sequential: 'yes' }), 'sequential')
  })
  test('a clock that is not a function', () => {
    expectTypeError(() => newLifecycle({ now: 42 }), 'now')
  })
  test('a logger without info/warn/error methods', () => {
    expectTypeError(() => newLifecycle({ logger: { log: noop } }), 'logger', 'new Lifecycle()')
  })
  test('a logger that is a string', () => {
    expectTypeError(() => newLifecycle({ logger: 'console' }), 'logger')
  })
  test('a logger that is null', () => {
    expectTypeError(() => newLifecycle({ logger: null }), 'logger')
  })
  test('a logger that is true', () => {
    expectTypeError(() => newLifecycle({ logger: true }), 'logger')
  })
})

describe('register(component)', () => {
  const register = (component: unknown, lifecycle = quiet()) => lifecycle.register(component as never)

  test('a component that is not an object', () => {
    expectTypeError(() => register(undefined), 'component', 'register()')
  })
  test('an empty name', () => {
    expectTypeError(() => register({ name: '', stop: noop }), 'name', 'register()')
  })
  test('a blank name', () => {
    expectTypeError(() => register({ name: '   ', stop: noop }), 'name')
  })
  test('a name that is not a string', () => {
    const error = expectTypeError(() => register({ name: 42, stop: noop }), 'name', 'register()')
    expect(error.message).toContain('(number)')
  })
  test('a missing name', () => {
    expectTypeError(() => register({ stop: noop }), 'name')
  })
  test('a duplicate name', () => {
    const lifecycle = quiet()
    lifecycle.register({ name: 'db', stop: noop })
    const error = expectTypeError(() => register({ name: 'db', stop: noop }, lifecycle), 'name', 'db')
    expect(error.message).toContain('unique')
  })
  test('the name reserved for tracked work', () => {
    expectTypeError(() => register({ name: 'lifecycle.track', stop: noop }), 'name', 'lifecycle.track')
  })
  test('a stop hook that is not a function', () => {
    expectTypeError(() => register({ name: 'db', stop: 'pool.end' }), 'stop', 'db')
  })
  test('a start hook that is not a function', () => {
    expectTypeError(() => register({ name: 'db', start: {}, stop: noop }), 'start', 'db')
  })
  test('neither a start nor a stop hook', () => {
    expectTypeError(() => register({ name: 'db' }), 'db')
  })
  test('a negative timeout', () => {
    expectTypeError(() => register({ name: 'db', stop: noop, timeout: -1 }), 'timeout', 'db')
  })
  test('a NaN timeout', () => {
    expectTypeError(() => register({ name: 'db', stop: noop, timeout: Number.NaN }), 'timeout', 'db')
  })
  test('an Infinity timeout', () => {
    expectTypeError(
      () => register({ name: 'db', stop: noop, timeout: Number.POSITIVE_INFINITY }),
      'timeout',
      'db',
    )
  })
  test('a negative startTimeout', () => {
    expectTypeError(() => register({ name: 'db', start: noop, startTimeout: -1 }), 'startTimeout', 'db')
  })
  test('a NaN priority', () => {
    expectTypeError(() => register({ name: 'db', stop: noop, priority: Number.NaN }), 'priority', 'db')
  })
  test('an Infinity priority', () => {
    expectTypeError(
      () => register({ name: 'db', stop: noop, priority: Number.POSITIVE_INFINITY }),
      'priority',
      'db',
    )
  })
  test('a -Infinity priority', () => {
    expectTypeError(
      () => register({ name: 'db', stop: noop, priority: Number.NEGATIVE_INFINITY }),
      'priority',
      'db',
    )
  })
  test('a priority given as a tier name', () => {
    expectTypeError(() => register({ name: 'db', stop: noop, priority: 'RESOURCES' }), 'priority', 'db')
  })
  test('an unknown key', () => {
    const error = expectTypeError(() => register({ name: 'db', stop: noop, timout: 5 }), 'timout', 'db')
    expect(error.message).toContain('`timeout`')
  })
  test('register() after stop()', async () => {
    const lifecycle = quiet()
    await lifecycle.stop()
    const error = expectStateError(() => register({ name: 'late', stop: noop }, lifecycle), 'late')
    expect(error.message).toContain('stopped')
  })
  test('register() during stop()', async () => {
    const lifecycle = quiet()
    let release = noop
    lifecycle.onStop('slow', () => new Promise<void>((resolve) => (release = resolve)))
    const stopped = lifecycle.stop()
    const error = expectStateError(() => register({ name: 'late', stop: noop }, lifecycle), 'late')
    expect(error.message).toContain('stopping')
    release()
    await stopped
  })
  test('register() of a start hook while running (it could never run)', async () => {
    const lifecycle = quiet()
    await lifecycle.start()
    expectStateError(() => register({ name: 'late', start: noop }, lifecycle), 'late', 'start')
  })
  test('a bad component leaves nothing registered', async () => {
    const lifecycle = quiet()
    expect(() => register({ name: 'db', stop: noop, timeout: -1 }, lifecycle)).toThrow(TypeError)
    // The name is still free and nothing runs for it.
    lifecycle.register({ name: 'db', stop: noop })
    const report = await lifecycle.stop()
    expect(report.phases.flatMap((p) => p.hooks).map((h) => h.name)).toEqual(['db'])
  })
})

describe.each(['onStop', 'onStart'] as const)('%s(name, hook, options)', (method) => {
  const call = (name: unknown, hook: unknown, options?: unknown, lifecycle = quiet()) =>
    (lifecycle[method] as (...args: unknown[]) => unknown)(name, hook, options)

  test('an empty name', () => {
    expectTypeError(() => call('', noop), 'name', `${method}()`)
  })
  test('a name that is not a string', () => {
    expectTypeError(() => call(Symbol.for('db'), noop), 'name')
  })
  test('a duplicate name', () => {
    const lifecycle = quiet()
    call('db', noop, undefined, lifecycle)
    expectTypeError(() => call('db', noop, undefined, lifecycle), 'name', 'db')
  })
  test('a hook that is not a function', () => {
    expectTypeError(() => call('db', 'pool.end'), 'hook', 'db', `${method}()`)
  })
  test('options that are not an object', () => {
    expectTypeError(() => call('db', noop, 5_000), 'options', 'db')
  })
  test('an unknown option key', () => {
    expectTypeError(() => call('db', noop, { prio: 1 }), 'prio', 'db')
  })
  test('a negative timeout', () => {
    expectTypeError(() => call('db', noop, { timeout: -1 }), 'timeout', 'db')
  })
  test('a NaN timeout', () => {
    expectTypeError(() => call('db', noop, { timeout: Number.NaN }), 'timeout', 'db')
  })
  test('an Infinity timeout', () => {
    expectTypeError(() => call('db', noop, { timeout: Number.POSITIVE_INFINITY }), 'timeout', 'db')
  })
  test('a NaN priority', () => {
    expectTypeError(() => call('db', noop, { priority: Number.NaN }), 'priority', 'db')
  })
  test('an Infinity priority', () => {
    expectTypeError(() => call('db', noop, { priority: Number.POSITIVE_INFINITY }), 'priority', 'db')
  })
  test('after stop()', async () => {
    const lifecycle = quiet()
    await lifecycle.stop()
    expectStateError(() => call('late', noop, undefined, lifecycle), 'late')
  })
})

describe('stop(reason)', () => {
  const stop = (reason: unknown, lifecycle = quiet()) => lifecycle.stop(reason as StopReason)

  test('a reason that is not an object is rejected with a TypeError and starts no stop', async () => {
    const lifecycle = quiet()
    await expect(stop('SIGTERM', lifecycle)).rejects.toThrow(TypeError)
    await expect(stop('SIGTERM', lifecycle)).rejects.toThrow(/`reason` of `stop\(\)`/)
    expect(lifecycle.state).toBe('idle')
    expect(lifecycle.signal.aborted).toBe(false)
  })
  test('an unknown reason type', async () => {
    await expect(stop({ type: 'sigterm' })).rejects.toThrow(/`reason.type` of `stop\(\)`.*`"sigterm"`/)
  })
  test('a signal reason without a signal name', async () => {
    await expect(stop({ type: 'signal' })).rejects.toThrow(/`reason.signal` of `stop\(\)`/)
  })
  test('a bad reason while a stop is under way is still refused', async () => {
    const lifecycle = quiet()
    const running = lifecycle.stop()
    await expect(stop({ type: 'nope' }, lifecycle)).rejects.toThrow(TypeError)
    await running
  })
  test('forceStop() with a bad reason', async () => {
    const lifecycle = quiet()
    await expect(lifecycle.forceStop('now' as unknown as StopReason)).rejects.toThrow(
      /`reason` of `forceStop\(\)`/,
    )
  })
  test('forceStop() with a bad reason names forceStop(), not stop(), and starts no stop', async () => {
    const lifecycle = quiet()
    await expect(lifecycle.forceStop(5 as never)).rejects.toThrow(
      /^Expected `reason` of `forceStop\(\)` to be an object/,
    )
    expect(lifecycle.state).toBe('idle')
  })
  test("a revoked Proxy as options or reason: a coded error naming the field, not the engine's", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const lifecycle = quiet()
    for (const call of [
      () => newLifecycle(proxy),
      () => lifecycle.register(proxy as never),
      () => lifecycle.onStop('x', noop, proxy as never),
    ]) {
      const error = expectTypeError(call)
      expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT)
      expect(error.message).toMatch(/^Expected `\w+` of .* to be readable, got one that threw when read/)
    }
    await expect(lifecycle.stop(proxy as never)).rejects.toThrow(
      /^Expected `reason` of `stop\(\)` to be readable/,
    )
  })
})

describe('track(task)', () => {
  test('a number', () => {
    expectTypeError(() => quiet().track(42 as never), 'task', 'track()')
  })
  test('null', () => {
    expectTypeError(() => quiet().track(null as never), 'task', 'track()')
  })
  test('an object without then()', () => {
    expectTypeError(() => quiet().track({ done: true } as never), 'task', 'track()')
  })
})

describe('report.toTimeline(options)', () => {
  const report = () => quiet().stop()

  test('a width of 0', async () => {
    const r = await report()
    expectTypeError(() => r.toTimeline({ width: 0 }), 'width', 'toTimeline()')
  })
  test('a negative width', async () => {
    const r = await report()
    expectTypeError(() => r.toTimeline({ width: -1 }), 'width', 'toTimeline()')
  })
  test('a NaN width', async () => {
    const r = await report()
    expectTypeError(() => r.toTimeline({ width: Number.NaN }), 'width', 'toTimeline()')
  })
  test('a width given as a string', async () => {
    const r = await report()
    expectTypeError(() => r.toTimeline({ width: '60' as never }), 'width', 'toTimeline()')
  })
  test('an unknown option key', async () => {
    const r = await report()
    expectTypeError(() => r.toTimeline({ widht: 60 } as never), 'widht', 'toTimeline()')
  })
  test('formatTimeline() with a bad width', async () => {
    const r = await report()
    expectTypeError(() => formatTimeline(r, 0), 'width', 'formatTimeline()')
  })
})
