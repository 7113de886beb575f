import { describe, expect, test } from 'vitest'
import { ErrorCode, NonErrorThrownError, Priority, ShutdownError } from '../../src/index.js'
import { defined, hooksByName, quiet, settle } from './helpers.js'

describe('a hook that fails', () => {
  test('throwing synchronously, rejecting, or throwing a non-Error: each is `error` and the others still run', async () => {
    const lifecycle = quiet()
    const ran: string[] = []
    const syncError = new Error('sync boom')
    const asyncError = new Error('async boom')
    lifecycle.onStop(
      'sync',
      () => {
        ran.push('sync')
        throw syncError
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('neighbour', () => void ran.push('neighbour'), { priority: Priority.INGRESS })
    lifecycle.onStop(
      'async',
      async () => {
        ran.push('async')
        await Promise.resolve()
        throw asyncError
      },
      { priority: Priority.WORKERS },
    )
    lifecycle.onStop(
      'non-error',
      () => {
        ran.push('non-error')
        throw 'a string'
      },
      { priority: Priority.RESOURCES },
    )
    lifecycle.onStop('last', () => void ran.push('last'), { priority: Priority.TELEMETRY })

    const { error } = await settle(lifecycle.stop())

    expect(ran).toEqual(['sync', 'neighbour', 'async', 'non-error', 'last'])
    expect(error).toBeInstanceOf(ShutdownError)
    expect(error).toBeInstanceOf(AggregateError)
    const shutdown = error as ShutdownError
    expect(shutdown.code).toBe(ErrorCode.SHUTDOWN)
    const hooks = hooksByName(shutdown.report)
    expect(Object.fromEntries([...hooks].map(([name, hook]) => [name, hook.status]))).toEqual({
      sync: 'error',
      neighbour: 'ok',
      async: 'error',
      'non-error': 'error',
      last: 'ok',
    })
    expect(hooks.get('sync')?.error).toBe(syncError)
    expect(hooks.get('async')?.error).toBe(asyncError)
    const wrapped = hooks.get('non-error')?.error
    expect(wrapped).toBeInstanceOf(NonErrorThrownError)
    expect((wrapped as Error).cause).toBe('a string')
    expect((wrapped as Error).message).toContain('`non-error`')
    expect('error' in defined(hooks.get('neighbour'))).toBe(false)
    expect(shutdown.report.ok).toBe(false)
    expect(shutdown.errors).toEqual([syncError, asyncError, wrapped])
    expect(shutdown.message).toContain('`sync` (error)')
    expect(shutdown.message).toContain('`async` (error)')
    expect(shutdown.message).toContain('`non-error` (error)')
    expect(shutdown.message).not.toContain('neighbour')
  })

  test('a hook that returns a rejecting thenable (not a native promise) is `error`', async () => {
    const lifecycle = quiet()
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is the point of the test
      then(_resolve: () => void, reject: (error: unknown) => void) {
        reject(new Error('thenable failed'))
      },
    }
    lifecycle.onStop('thenable', () => thenable)
    const { error } = await settle(lifecycle.stop())
    expect(defined(hooksByName((error as ShutdownError).report).get('thenable')).status).toBe('error')
  })

  test('a hook that returns a thenable whose then() throws is `error`, and the others still run', async () => {
    const lifecycle = quiet()
    const ran: string[] = []
    const broken = {
      // biome-ignore lint/suspicious/noThenProperty: a broken foreign thenable is the point of the test
      then() {
        throw new Error('then threw')
      },
    }
    lifecycle.onStop('broken', () => broken)
    lifecycle.onStop('neighbour', () => void ran.push('neighbour'))
    lifecycle.onStop('later', () => void ran.push('later'), { priority: -1 })
    const { error } = await settle(lifecycle.stop())
    expect(error).toBeInstanceOf(ShutdownError)
    expect(ran).toEqual(['neighbour', 'later'])
    expect(lifecycle.state).toBe('stopped')
    const hook = defined(hooksByName((error as ShutdownError).report).get('broken'))
    expect(hook.status).toBe('error')
    expect((hook.error as Error).message).toBe('then threw')
  })

  test('stop() resolves with the report when every hook ended `ok`', async () => {
    const lifecycle = quiet()
    lifecycle.onStop('a', () => {})
    lifecycle.onStop('b', async () => {})
    const report = await lifecycle.stop()
    expect(report.ok).toBe(true)
    expect([...hooksByName(report).values()].map((hook) => hook.status)).toEqual(['ok', 'ok'])
  })

  test('stop() with no hooks at all resolves with an empty, ok report', async () => {
    const report = await quiet().stop()
    expect(report.ok).toBe(true)
    expect(report.phases).toEqual([])
  })
})
