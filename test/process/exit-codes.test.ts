import { afterEach, describe, expect, test } from 'vitest'
import { Priority } from '../../src/index.js'
import { deliver, exitRecorder, lifecycleWith, memoryLogger } from './in-process.js'

const disposers: (() => void)[] = []
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose()
})

describe('exit codes, with an injected exit', () => {
  test('a clean stop on SIGTERM exits 0 once the stop has settled', async () => {
    const lifecycle = lifecycleWith()
    const order: string[] = []
    lifecycle.onStop('http', () => void order.push('http'), { priority: Priority.INGRESS })
    lifecycle.onStop('db', () => void order.push('db'), { priority: Priority.RESOURCES })
    const { exit, exited, codes } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, watchdog: false }))
    await lifecycle.start()
    deliver('SIGTERM')
    expect(await exited).toBe(0)
    expect(order).toEqual(['http', 'db'])
    expect(lifecycle.state).toBe('stopped')
    expect(codes).toEqual([0])
  })

  test('the stop reason names the signal', async () => {
    const lifecycle = lifecycleWith()
    const reasons: unknown[] = []
    lifecycle.on('stopping', (reason) => reasons.push(reason))
    const { exit, exited } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, signals: ['SIGUSR2'], watchdog: false }))
    deliver('SIGUSR2')
    await exited
    expect(reasons).toEqual([{ type: 'signal', signal: 'SIGUSR2' }])
  })

  test('a stop that is not clean exits 1', async () => {
    const lifecycle = lifecycleWith()
    lifecycle.onStop('broken', () => {
      throw new Error('nope')
    })
    const { exit, exited } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, watchdog: false }))
    deliver('SIGINT')
    expect(await exited).toBe(1)
  })

  test('signals within the burst window are one request; a later one forces with 128 + its number', async () => {
    const logger = memoryLogger()
    // The burst window is read on the lifecycle's clock: a loaded machine cannot stretch it.
    let now = 0
    const lifecycle = lifecycleWith({ logger, now: () => now })
    let runs = 0
    let aborted: unknown
    lifecycle.onStop('stuck', ({ signal }) => {
      runs++
      signal.addEventListener('abort', () => {
        aborted = signal.reason
      })
      return new Promise(() => {})
    })
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    const { exit, exited, codes } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, burstWindow: 100, watchdog: false }))
    deliver('SIGTERM')
    for (let i = 0; i < 50; i++) deliver('SIGTERM')
    deliver('SIGINT')
    now = 40
    deliver('SIGTERM')
    now = 99
    deliver('SIGINT')
    // A force aborts the running hook at once; none has.
    await new Promise((resolve) => setImmediate(resolve))
    expect(aborted).toBeUndefined()
    expect(codes).toEqual([])
    expect(lifecycle.state).toBe('stopping')
    now = 100
    deliver('SIGINT')
    expect(await exited).toBe(130)
    expect(runs).toBe(1)
    expect(aborted).toMatchObject({ name: 'ForcedStopError', hooks: ['stuck'] })
    expect(logger.lines).toContain(
      'graceful-lifecycle: received SIGINT during the stop: forcing it; still running: `stuck`',
    )
    expect(logger.lines.filter((line) => line.includes('received SIGTERM: stopping'))).toHaveLength(1)
  })

  test('a burst window of 0 makes every repeat force', async () => {
    const lifecycle = lifecycleWith({ now: () => 0 })
    lifecycle.onStop('stuck', () => new Promise(() => {}))
    const { exit, exited } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, burstWindow: 0, watchdog: false }))
    deliver('SIGTERM')
    deliver('SIGTERM')
    expect(await exited).toBe(143)
  })

  test('a signal after a manual stop began waits for that stop, then exits with its result', async () => {
    const logger = memoryLogger()
    const lifecycle = lifecycleWith({ logger })
    let release: () => void = () => {}
    lifecycle.onStop('slow', () => new Promise<void>((resolve) => (release = resolve)))
    const { exit, exited, codes } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, watchdog: false }))
    const stop = lifecycle.stop()
    deliver('SIGTERM')
    // The signal was handled (logged), and what an exit would wait for (the logger's and stdout's
    // flush) has had a loop turn: no exit while the manual stop still runs.
    await logger.line(/received SIGTERM: stopping/)
    await new Promise((resolve) => setImmediate(resolve))
    expect(codes).toEqual([])
    expect(lifecycle.state).toBe('stopping')
    release()
    await stop
    expect(await exited).toBe(0)
  })

  test('`exit: false` stops on the signal and never exits', async () => {
    const lifecycle = lifecycleWith()
    const stopped = new Promise((resolve) => lifecycle.once('stopped', resolve))
    disposers.push(lifecycle.handleSignals({ exit: false, watchdog: false }))
    deliver('SIGTERM')
    await stopped
    expect(lifecycle.state).toBe('stopped')
  })
})

describe('flushing before the exit', () => {
  test("a logger's flush(cb) is called and awaited before exit", async () => {
    const logger = memoryLogger()
    const events: string[] = []
    const flushing = Object.assign(logger, {
      flush(callback: () => void) {
        events.push('flush')
        setTimeout(() => {
          events.push('flushed')
          callback()
        }, 50)
      },
    })
    const lifecycle = lifecycleWith({ logger: flushing })
    const { exit, exited } = exitRecorder()
    disposers.push(
      lifecycle.handleSignals({
        exit: (code) => {
          events.push('exit')
          exit(code)
        },
        watchdog: false,
      }),
    )
    deliver('SIGTERM')
    await exited
    expect(events).toEqual(['flush', 'flushed', 'exit'])
    expect(logger.lines.at(-1)).toBe('graceful-lifecycle: exiting with code 0')
  })

  test('a flush that never calls back is ended by the watchdog, which still exits', async () => {
    const logger = Object.assign(memoryLogger(), { flush(_callback: () => void) {} })
    const lifecycle = lifecycleWith({ logger })
    const { exit, exited } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, watchdog: 50 }))
    const sent = performance.now()
    deliver('SIGTERM')
    expect(await exited).toBe(0)
    expect(performance.now() - sent).toBeGreaterThanOrEqual(45)
    expect(logger.lines.some((line) => line.includes('watchdog: the process is still running 50 ms'))).toBe(
      true,
    )
  })
})

describe('the watchdog', () => {
  test('after a manual stop it reports what keeps the process alive and exits with the stop result', async () => {
    const logger = memoryLogger()
    const lifecycle = lifecycleWith({ logger })
    lifecycle.onStop('broken', () => {
      throw new Error('nope')
    })
    const { exit, exited } = exitRecorder()
    disposers.push(lifecycle.handleSignals({ exit, watchdog: 30 }))
    const leak = setInterval(() => {}, 1_000)
    await lifecycle.stop().catch(() => {})
    try {
      expect(await exited).toBe(1)
    } finally {
      clearInterval(leak)
    }
    const line = logger.lines.find((l) => l.includes('watchdog'))
    expect(line).toMatch(/still running 30 ms after the stop; what keeps the event loop alive: .*Timeout/)
    expect(line).toContain('exiting with code 1')
  })

  test('with `exit: false` it only reports', async () => {
    const logger = memoryLogger()
    const lifecycle = lifecycleWith({ logger })
    disposers.push(lifecycle.handleSignals({ exit: false, watchdog: 10 }))
    await lifecycle.stop()
    expect(await logger.line(/watchdog/)).toMatch(/not exiting \(`exit: false`\)$/)
  })
})
