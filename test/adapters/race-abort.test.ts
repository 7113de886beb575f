import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { raceAbort } from '../../src/adapters/common.js'

/** An AbortSignal that counts its abort listeners. */
function counted(): { controller: AbortController; listeners: () => number } {
  const controller = new AbortController()
  let count = 0
  const add = controller.signal.addEventListener.bind(controller.signal)
  const remove = controller.signal.removeEventListener.bind(controller.signal)
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
    count++
    add(...args)
  }) as typeof add
  controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    count--
    remove(...args)
  }) as typeof remove
  return { controller, listeners: () => count }
}

describe('raceAbort() (the one race of a graceful close against the hook signal)', () => {
  it('resolves true when the work ends first, calls no onAbort, and leaves no listener', async () => {
    const { controller, listeners } = counted()
    let aborted = 0
    expect(
      await raceAbort(
        controller.signal,
        () => sleep(5),
        () => aborted++,
      ),
    ).toBe(true)
    expect(listeners()).toBe(0)
    controller.abort()
    expect(aborted).toBe(0)
  })

  it('resolves false at the abort, having called onAbort synchronously; a later failure is ignored', async () => {
    const { controller, listeners } = counted()
    const order: string[] = []
    let late: Promise<never> | undefined
    const race = raceAbort(
      controller.signal,
      () => (late = sleep(20).then(() => Promise.reject(new Error('closed late')))),
      () => order.push('onAbort'),
    )
    controller.abort()
    order.push('after abort()')
    expect(await race).toBe(false)
    expect(order).toEqual(['onAbort', 'after abort()'])
    expect(listeners()).toBe(0)
    // The late failure has happened, and an unhandled rejection would have been reported.
    await late?.catch(() => {})
    await new Promise((resolve) => setImmediate(resolve))
  })

  it('still starts the work on a signal that had aborted, then forces at once', async () => {
    const controller = new AbortController()
    controller.abort()
    const order: string[] = []
    const result = await raceAbort(
      controller.signal,
      () => order.push('work'),
      () => order.push('onAbort'),
    )
    expect(order).toEqual(['work', 'onAbort'])
    expect(result).toBe(false)
  })

  it('rejects with the failure of work that fails before the abort, sync or async', async () => {
    const signal = new AbortController().signal
    await expect(raceAbort(signal, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    await expect(
      raceAbort(signal, () => {
        throw new Error('sync')
      }),
    ).rejects.toThrow('sync')
  })
})
