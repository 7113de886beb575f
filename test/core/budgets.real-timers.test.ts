import { TimeoutError } from 'p-timeout'
import { describe, expect, test } from 'vitest'
import { HookTimeoutError, Priority, ShutdownError, StopTimeoutError } from '../../src/index.js'
import { defined, hooksByName, never, quiet, settle } from './helpers.js'

// Real timers: the budgets hold on the real clock too. Slack covers a loaded 2-core machine.
const SLACK = 150

describe('budgets on the real clock', () => {
  test('a hook that never settles is marked `timeout` at its budget and its signal names it', async () => {
    const lifecycle = quiet()
    let signal: AbortSignal | undefined
    let abortedAt = 0
    lifecycle.onStop(
      'stuck',
      (context) => {
        signal = context.signal
        context.signal.addEventListener('abort', () => {
          abortedAt = performance.now()
        })
        return never()
      },
      { timeout: 60 },
    )
    // Measured from before the stop, not from inside the hook: the budget counts from the engine's
    // clock read just before it calls the hook, and a loaded machine can preempt the process between
    // that read and the hook's first line (CI, Node 22: the hook saw its abort 56.9 ms in).
    const begun = performance.now()
    const { error } = await settle(lifecycle.stop())
    const elapsed = performance.now() - begun

    expect(abortedAt - begun).toBeGreaterThanOrEqual(59)
    expect(elapsed).toBeGreaterThanOrEqual(59)
    expect(elapsed).toBeLessThan(60 + SLACK)
    expect(defined(signal).reason).toBeInstanceOf(HookTimeoutError)
    expect(defined(signal).reason).toBeInstanceOf(TimeoutError)
    expect((defined(signal).reason as Error).message).toContain('`stuck`')
    const hook = hooksByName((error as ShutdownError).report).get('stuck')
    expect(hook?.status).toBe('timeout')
    expect(hook?.durationMs).toBeGreaterThanOrEqual(59)
  })

  test('the global deadline aborts running hooks; later phases run with aborted signals and `finalGrace`', async () => {
    const lifecycle = quiet({ timeout: 80, hookTimeout: 10_000, finalGrace: 40 })
    let running: AbortSignal | undefined
    let late: AbortSignal | undefined
    let lateAbortedOnEntry: boolean | undefined
    lifecycle.onStop(
      'consumer',
      ({ signal }) => {
        running = signal
        return never()
      },
      { priority: Priority.WORKERS },
    )
    lifecycle.onStop(
      'pool',
      ({ signal }) => {
        late = signal
        lateAbortedOnEntry = signal.aborted
        return never()
      },
      { priority: Priority.RESOURCES },
    )
    const begun = performance.now()
    const { error } = await settle(lifecycle.stop())
    const elapsed = performance.now() - begun

    expect(elapsed).toBeGreaterThanOrEqual(80 + 40 - 2)
    expect(elapsed).toBeLessThan(80 + 40 + SLACK)
    expect(defined(running).reason).toBeInstanceOf(StopTimeoutError)
    expect((defined(running).reason as StopTimeoutError).hooks).toEqual(['consumer'])
    expect(lateAbortedOnEntry).toBe(true)
    expect(defined(late).reason).toBe(defined(running).reason)
    expect(error).toBeInstanceOf(ShutdownError)
    expect((error as Error).message).toContain('`consumer`')
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('consumer')?.status).toBe('timeout')
    expect(hooks.get('pool')?.status).toBe('timeout')
    expect(hooks.get('pool')?.durationMs).toBeLessThan(40 + SLACK)
  })

  test('a hook that stops only when its budget aborts it is still reported as `timeout`', async () => {
    // The hook resolves synchronously inside its abort listener; it still counts as timed out.
    const lifecycle = quiet()
    lifecycle.onStop(
      'polite',
      ({ signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve())
        }),
      { timeout: 30 },
    )
    const { error } = await settle(lifecycle.stop())
    expect(hooksByName((error as ShutdownError).report).get('polite')?.status).toBe('timeout')
  })
})
