import { describe, expect, test } from 'vitest'
import { ErrorCode, ForcedStopError, Priority, type ShutdownError } from '../../src/index.js'
import { defined, hooksByName, never, quiet, settle, sleep } from './helpers.js'

describe('forceStop()', () => {
  test('aborts the running hooks with a ForcedStopError naming them; later phases are skipped', async () => {
    const lifecycle = quiet()
    let signal: AbortSignal | undefined
    const ran: string[] = []
    lifecycle.onStop(
      'http',
      (context) => {
        signal = context.signal
        return never()
      },
      { priority: Priority.INGRESS },
    )
    lifecycle.onStop('ws', () => never(), { priority: Priority.INGRESS })
    lifecycle.onStop('db', () => void ran.push('db'), { priority: Priority.RESOURCES })
    const stopped = settle(lifecycle.stop())
    await sleep(5)
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

  test('without a stop under way, it starts one: the first phase is aborted at once, the rest skipped', async () => {
    const lifecycle = quiet()
    const ran: string[] = []
    let signal: AbortSignal | undefined
    lifecycle.onStop(
      'first',
      (context) => {
        signal = context.signal
        return never()
      },
      { priority: 1 },
    )
    lifecycle.onStop('later', () => void ran.push('later'))
    const begun = performance.now()
    const { error } = await settle(lifecycle.forceStop())
    expect(performance.now() - begun).toBeLessThan(1_000)
    expect(defined(signal).reason).toBeInstanceOf(ForcedStopError)
    expect((defined(signal).reason as ForcedStopError).hooks).toEqual(['first'])
    expect(ran).toEqual([])
    const hooks = hooksByName((error as ShutdownError).report)
    expect(hooks.get('first')?.status).toBe('error')
    expect(hooks.get('later')?.status).toBe('skipped')
  })
})
