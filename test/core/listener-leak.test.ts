import { getEventListeners } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { Priority } from '../../src/index.js'
import { deferred, quiet, settle } from './helpers.js'

/** Every AbortSignal anything adds an `abort` listener to while a test runs. */
const watched = new Set<AbortSignal>()
const original = AbortSignal.prototype.addEventListener
beforeEach(() => {
  watched.clear()
  AbortSignal.prototype.addEventListener = function (
    this: AbortSignal,
    ...args: Parameters<typeof original>
  ) {
    if (args[0] === 'abort') watched.add(this)
    return original.apply(this, args)
  } as typeof original
})
afterEach(() => {
  AbortSignal.prototype.addEventListener = original
  watched.clear()
})

const lingering = (): number => [...watched].reduce((sum, s) => sum + getEventListeners(s, 'abort').length, 0)

const HOOKS = 10_000

describe('abort listeners are removed afterwards', () => {
  test(`no signal keeps an abort listener after a stop of ${HOOKS} hooks over 100 priorities`, async () => {
    const lifecycle = quiet()
    let signals = 0
    for (let i = 0; i < HOOKS; i++) {
      lifecycle.onStop(
        `hook-${i}`,
        async ({ signal }) => {
          if (signal.aborted === false) signals++
          await Promise.resolve()
        },
        { priority: i % 100 },
      )
    }
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const report = await lifecycle.stop()
      expect(report.ok).toBe(true)
    } finally {
      process.off('warning', onWarning)
    }
    expect(signals).toBe(HOOKS)
    // The run engine listens on no signal at all (it waits on its clock): nothing can linger.
    expect(watched.size).toBe(0)
    expect(lingering()).toBe(0)
    expect(getEventListeners(lifecycle.signal, 'abort')).toHaveLength(0)
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  })

  test(`sequential: ${HOOKS} hooks one at a time leave no listener behind`, async () => {
    const lifecycle = quiet({ sequential: true })
    for (let i = 0; i < HOOKS; i++)
      lifecycle.onStop(`hook-${i}`, () => Promise.resolve(), { priority: i % 3 })
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    process.on('warning', onWarning)
    try {
      await lifecycle.stop()
    } finally {
      process.off('warning', onWarning)
    }
    expect(watched.size).toBe(0)
    expect(lingering()).toBe(0)
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  })

  test('hooks that time out, a stop during start, and a forced stop leave no listener behind', async () => {
    const timedOut = quiet({ hookTimeout: 5 })
    for (let i = 0; i < 50; i++)
      timedOut.onStop(`stuck-${i}`, () => new Promise(() => {}), { priority: i % 5 })
    await settle(timedOut.stop())

    const interrupted = quiet({ startTimeout: 10 })
    const gate = deferred()
    interrupted.register({ name: 'slow', start: () => gate.promise, stop: () => {} })
    const started = settle(interrupted.start())
    await Promise.resolve()
    const stopping = settle(interrupted.stop())
    gate.resolve()
    await Promise.all([started, stopping])

    const forced = quiet()
    const stuck = deferred()
    forced.onStop(
      'stuck',
      () => {
        stuck.resolve()
        return new Promise(() => {})
      },
      { priority: Priority.INGRESS },
    )
    forced.onStop('later', () => {})
    const stop = settle(forced.stop())
    await stuck.promise
    await settle(forced.forceStop())
    await stop

    expect(lingering()).toBe(0)
  })

  test('memory does not grow across repeated stops of 10,000 hooks', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const round = async (): Promise<void> => {
      const lifecycle = quiet()
      for (let i = 0; i < HOOKS; i++) lifecycle.onStop(`h${i}`, () => {}, { priority: i % 100 })
      await lifecycle.stop()
    }
    await round()
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < 5; i++) await round()
    gc()
    const grown = process.memoryUsage().heapUsed - before
    // Five rounds of 10,000 hooks: a leak of one listener or closure per hook would be megabytes.
    expect(grown).toBeLessThan(2 * 1024 * 1024)
  })
})
