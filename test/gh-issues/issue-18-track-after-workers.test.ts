import { describe, expect, test } from 'vitest'
import { DEFAULTS, ErrorCode, InvalidStateError, Priority } from '../../src/index.js'
import { hooksByName, quiet } from '../core/helpers.js'

/** What `track()` did when a RESOURCES hook (a phase after WORKERS) called it. */
async function trackFromResources(trackedBefore: boolean): Promise<unknown> {
  const lifecycle = quiet()
  if (trackedBefore) void lifecycle.track(Promise.resolve())
  let outcome: unknown = 'accepted'
  lifecycle.onStop(
    'db',
    () => {
      try {
        void lifecycle.track(new Promise<void>(() => {}))
      } catch (error) {
        outcome = error
      }
    },
    { priority: Priority.RESOURCES },
  )
  await lifecycle.stop()
  return outcome
}

describe('issue 18.8: track() once the WORKERS phase has ended is refused, whatever was tracked before', () => {
  test.each([
    ['nothing was tracked before the stop', false],
    ['something was tracked before the stop', true],
  ])('%s: a coded InvalidStateError naming the phase', async (_, trackedBefore) => {
    const error = await trackFromResources(trackedBefore)
    expect(error).toBeInstanceOf(InvalidStateError)
    expect((error as InvalidStateError).code).toBe(ErrorCode.INVALID_STATE)
    expect((error as Error).message).toContain('`WORKERS` phase')
  })

  test('tracked from a hook of the WORKERS phase itself, with nothing tracked before: awaited before RESOURCES', async () => {
    const lifecycle = quiet()
    const order: string[] = []
    lifecycle.onStop(
      'queue',
      () => {
        void lifecycle.track(
          new Promise<void>((resolve) => setImmediate(resolve)).then(() => void order.push('tracked')),
        )
      },
      { priority: Priority.WORKERS },
    )
    lifecycle.onStop('db', () => void order.push('db'), { priority: Priority.RESOURCES })
    const report = await lifecycle.stop()
    expect(order).toEqual(['tracked', 'db'])
    expect(hooksByName(report).get(DEFAULTS.trackedHookName)?.status).toBe('ok')
  })

  test('a stop with no phase at or below WORKERS still refuses track() once it has waited', async () => {
    const lifecycle = quiet()
    lifecycle.onStop('http', () => {}, { priority: Priority.INGRESS })
    await lifecycle.stop()
    expect(() => lifecycle.track(Promise.resolve())).toThrow(InvalidStateError)
  })
})
