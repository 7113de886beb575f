import { describe, expect, test } from 'vitest'
import { Priority, type ShutdownReport } from '../../src/index.js'
import { deferred, defined, hooksByName, quiet, settle } from '../core/helpers.js'
import { lines, runFixture, tempFile } from '../process/run-fixture.js'

describe('issue 8.1: stop() and forceStop() from inside the stop return the stop under way', () => {
  test('from a stop hook, a stopping listener and a lifecycle.signal abort listener: one promise, every hook once', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    const promises: Promise<ShutdownReport>[] = []
    lifecycle.signal.addEventListener('abort', () => {
      calls.push('abort-listener')
      promises.push(lifecycle.stop())
    })
    lifecycle.on('stopping', () => {
      calls.push('stopping-listener')
      promises.push(lifecycle.stop())
    })
    lifecycle.onStop(
      'http',
      () => {
        calls.push('http')
        promises.push(lifecycle.stop(), lifecycle.stop({ type: 'manual' }))
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('db', () => void calls.push('db'), { priority: Priority.RESOURCES })
    const first = lifecycle.stop()
    const report = await first
    expect(calls).toEqual(['abort-listener', 'stopping-listener', 'http', 'db'])
    expect(promises).toHaveLength(4)
    for (const promise of promises) expect(promise).toBe(first)
    expect(report.ok).toBe(true)
  })

  test('forceStop() from a stop hook forces the stop under way once: later phases skipped, nothing runs twice', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    let forced: Promise<ShutdownReport> | undefined
    lifecycle.onStop(
      'worker',
      async () => {
        calls.push('worker')
        forced = lifecycle.forceStop()
        forced.catch(() => {})
        await new Promise(() => {})
      },
      { priority: Priority.WORKERS },
    )
    lifecycle.onStop('db', () => void calls.push('db'), { priority: Priority.RESOURCES })
    const stop = lifecycle.stop()
    const { error } = await settle(stop)
    expect(forced).toBe(stop)
    expect(calls).toEqual(['worker'])
    const hooks = hooksByName((error as { report: ShutdownReport }).report)
    expect(hooks.get('worker')?.status).toBe('error')
    expect(hooks.get('db')?.status).toBe('skipped')
  })

  test('a hook that awaits stop() from inside the stop does not deadlock it: its own budget ends it', async () => {
    const lifecycle = quiet({ timeout: 5_000 })
    const entered = deferred()
    lifecycle.onStop(
      'awaits-stop',
      async () => {
        entered.resolve()
        await lifecycle.stop()
      },
      { timeout: 100 },
    )
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    const begun = performance.now()
    const { error } = await settle(lifecycle.stop())
    await entered.promise
    expect(performance.now() - begun).toBeLessThan(3_000)
    const hooks = hooksByName((error as { report: ShutdownReport }).report)
    expect(hooks.get('awaits-stop')?.status).toBe('timeout')
    expect(String((defined(hooks.get('awaits-stop')).error as Error).message)).toContain('100 ms budget')
    expect(hooks.get('db')?.status).toBe('ok')
  })
})

describe.concurrent('issue 8.1 in a real process: one SIGTERM, every hook once', () => {
  test('stop() from a hook, a stopping listener and an abort listener: exit 0, each hook ran once', async () => {
    const file = tempFile()
    const fixture = runFixture('reentrant-stop', [file, 'all'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(file)).toEqual(['signal-listener', 'stopping-listener', 'http', 'worker', 'db'])
  })

  test('forceStop() from a hook: the stop is forced once and the process exits 1', async () => {
    const file = tempFile()
    const fixture = runFixture('reentrant-stop', [file, 'force'])
    await fixture.ready
    fixture.kill('SIGTERM')
    const exit = await fixture.exit
    expect(exit.code).toBe(1)
    expect(lines(file)).toEqual(['http', 'worker'])
    expect(fixture.stderr()).toMatch(/db\s+skipped/)
  })
})
