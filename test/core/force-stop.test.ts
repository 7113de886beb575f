import { describe, expect, test } from 'vitest'
import { ErrorCode, ForcedStopError, Lifecycle, Priority, type ShutdownError } from '../../src/index.js'
import { deferred, defined, hooksByName, never, quiet, settle } from './helpers.js'

describe('forceStop()', () => {
  test('aborts the running hooks with a ForcedStopError naming them; later phases are skipped', async () => {
    const lifecycle = quiet()
    let signal: AbortSignal | undefined
    const ran: string[] = []
    const http = deferred()
    const ws = deferred()
    lifecycle.onStop(
      'http',
      (context) => {
        signal = context.signal
        http.resolve()
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop(
      'ws',
      () => {
        ws.resolve()
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('db', () => void ran.push('db'), { priority: Priority.RESOURCES })
    const stopped = settle(lifecycle.stop())
    await Promise.all([http.promise, ws.promise])
    expect([...lifecycle.running].sort()).toEqual(['http', 'ws'])
    const forced = settle(lifecycle.forceStop({ type: 'signal', signal: 'SIGINT' }))
    const [{ error }, second] = await Promise.all([stopped, forced])
    expect(second.error).toBe(error)
    expect(defined(signal).reason).toBeInstanceOf(ForcedStopError)
    const reason = defined(signal).reason as ForcedStopError
    expect(reason.code).toBe(ErrorCode.FORCED)
    expect([...reason.hooks].sort()).toEqual(['http', 'ws'])
    expect(reason.message).toContain('`http`')
    expect(ran).toEqual([])
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('http')?.status).toBe('error')
    expect(hooks.get('http')?.error).toBe(reason)
    expect(hooks.get('db')?.status).toBe('skipped')
    // `.errors` holds what the hooks threw or were aborted with; a skipped hook threw nothing.
    expect((error as ShutdownError).errors).toEqual([reason, reason])
    expect((error as ShutdownError).message).toContain('`db` (skipped)')
    expect(lifecycle.state).toBe('stopped')
    expect(lifecycle.running).toEqual([])
    // The first reason stays.
    expect((error as ShutdownError).report.reason).toEqual({ type: 'manual' })
  })

  test('sequential: the hook running is abandoned, the ones after it in its phase are skipped', async () => {
    const lifecycle = quiet({ sequential: true })
    const called: string[] = []
    const running = deferred<void>()
    // Last registered first: `c` ends at once, `b` hangs, `a` must never be called.
    lifecycle.onStop('a', () => void called.push('a'))
    lifecycle.onStop('b', () => {
      called.push('b')
      running.resolve()
      return never()
    })
    lifecycle.onStop('c', async () => void called.push('c'))
    const stopped = settle(lifecycle.stop())
    await running.promise
    expect(lifecycle.running).toEqual(['b'])
    const { error } = await settle(lifecycle.forceStop())
    expect((await stopped).error).toBe(error)
    expect(called).toEqual(['c', 'b'])
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('c')?.status).toBe('ok')
    expect(hooks.get('b')?.status).toBe('error')
    expect(defined(hooks.get('b')).error).toMatchObject({ code: ErrorCode.FORCED })
    expect(hooks.get('a')?.status).toBe('skipped')
    expect((error as ShutdownError).report.phases[0]?.hooks.map((hook) => hook.name)).toEqual(['a', 'b', 'c'])
    expect(lifecycle.running).toEqual([])
  })

  test('with no stop under way, it begins forced: no hook is called only to be abandoned', async () => {
    const lifecycle = quiet()
    const called: string[] = []
    lifecycle.onStop('http', () => void called.push('http'), { priority: Priority.INGRESS })
    lifecycle.onStop('db', () => void called.push('db'), { priority: Priority.RESOURCES })
    const { error } = await settle(lifecycle.forceStop())
    expect(called).toEqual([])
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('http')?.status).toBe('skipped')
    expect(hooks.get('db')?.status).toBe('skipped')
    expect(lifecycle.state).toBe('stopped')
  })

  test('a ShutdownError message names ten hooks at most, then counts the rest', async () => {
    const lifecycle = quiet()
    for (let i = 0; i < 25; i++) {
      lifecycle.onStop(`hook-${i}`, () => {
        throw new Error(`failed ${i}`)
      })
    }
    const { error } = await settle(lifecycle.stop())
    const message = (error as ShutdownError).message
    expect(message.match(/`hook-\d+`/g)).toHaveLength(10)
    expect(message).toContain('and 15 more')
    expect((error as ShutdownError).errors).toHaveLength(25)
  })
})

describe('forceStop() with bad input', () => {
  test('a bad reason rejects, during a stop as before one (never a synchronous throw)', async () => {
    const lifecycle = quiet()
    let release = (): void => {}
    lifecycle.onStop('slow', () => new Promise<void>((resolve) => (release = resolve)))
    const before = lifecycle.forceStop({ type: 'nope' } as never)
    await expect(before).rejects.toThrow(TypeError)
    const stopping = lifecycle.stop()
    let during: Promise<unknown> | undefined
    expect(() => {
      during = lifecycle.forceStop({ type: 'nope' } as never)
    }).not.toThrow()
    await expect(during).rejects.toThrow(TypeError)
    release()
    await stopping
  })
})

describe('forceStop() during a stop', () => {
  test('forcing a stop under way logs no re-entry line: that line is for a stop() called from inside it', async () => {
    const lines: string[] = []
    const write = (message: unknown) => void lines.push(String(message))
    const lifecycle = new Lifecycle({ logger: { info: write, warn: write, error: write } })
    const running = deferred()
    lifecycle.onStop('http', () => {
      running.resolve()
      return never()
    })
    const stopped = settle(lifecycle.stop())
    await running.promise
    await settle(lifecycle.forceStop())
    await stopped
    expect(lines.filter((line) => line.includes('called during the stop'))).toEqual([])
  })
})
