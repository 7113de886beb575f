import { afterEach, expect, test, vi } from 'vitest'
import { lifecycleWith } from './in-process.js'

const events = ['SIGTERM', 'SIGINT', 'SIGHUP', 'message', 'uncaughtException', 'unhandledRejection'] as const
const counts = (): number[] => events.map((event) => process.listenerCount(event))

const warnings: Error[] = []
const onWarning = (warning: Error): void => void warnings.push(warning)
process.on('warning', onWarning)
afterEach(() => {
  warnings.length = 0
  vi.useRealTimers()
})

/** Every promise callback queued so far has run (setImmediate is not faked below). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

test('500 lifecycles share one process listener per event, and leave none behind once disposed', async () => {
  const before = counts()
  const disposers = Array.from({ length: 500 }, () =>
    lifecycleWith().handleSignals({ signals: ['SIGTERM', 'SIGINT', 'SIGHUP'], errors: true, exit: false }),
  )
  const during = counts()
  // One each (the 'message' one only where there is an IPC channel, as in this runner's worker).
  const ipc = typeof process.send === 'function' ? 1 : 0
  expect(during.map((count, i) => count - (before[i] ?? 0))).toEqual([1, 1, 1, ipc, 1, 1])
  for (const dispose of disposers) dispose()
  expect(counts()).toEqual(before)
  // Node emits MaxListenersExceededWarning on the next tick.
  await new Promise((resolve) => setImmediate(resolve))
  expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([])
})

test('disposing removes the lifecycle listener and a pending watchdog too', async () => {
  // The watchdog's timer is run, not waited for: fake timers, the rest real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const lifecycle = lifecycleWith()
  // The handler follows every stop from its 'stopping' event (it awaits the stop's promise).
  const listeners = lifecycle.listenerCount('stopping')
  const exits: number[] = []
  const dispose = lifecycle.handleSignals({ exit: (code) => exits.push(code), watchdog: 20 })
  expect(lifecycle.listenerCount('stopping')).toBe(listeners + 1)
  await lifecycle.stop()
  await settled()
  // A manual stop has the watchdog pending: it would call exit after 20 ms.
  expect(vi.getTimerCount()).toBe(1)
  dispose()
  expect(lifecycle.listenerCount('stopping')).toBe(listeners)
  expect(vi.getTimerCount()).toBe(0)
  await vi.runAllTimersAsync()
  await settled()
  expect(exits).toEqual([])
})

test('disposed during a stop it started: the stop finishes, exit is never called', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const lifecycle = lifecycleWith()
  let release: () => void = () => {}
  lifecycle.onStop('slow', () => new Promise<void>((resolve) => (release = resolve)))
  const exits: number[] = []
  const dispose = lifecycle.handleSignals({ exit: (code) => exits.push(code), watchdog: 10 })
  process.emit('SIGTERM', 'SIGTERM')
  expect(lifecycle.state).toBe('stopping')
  dispose()
  release()
  await lifecycle.stop()
  await settled()
  // Whatever is left to run (a watchdog, a flush's cap) runs now, and none of it calls exit.
  await vi.runAllTimersAsync()
  await settled()
  expect(exits).toEqual([])
  expect(process.listenerCount('SIGTERM')).toBe(0)
})
