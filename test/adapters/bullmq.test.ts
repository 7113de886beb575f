import { describe, expect, it } from 'vitest'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { Priority } from '../../src/index.js'

describe('bullmqWorker()', () => {
  it.each([
    ['undefined', undefined],
    ['a processor function', async () => {}],
    ['a Queue-like object without on()', { close: async () => {} }],
  ])('refuses %s at the call with a TypeError naming `worker`', (_, value) => {
    const call = () => bullmqWorker(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `worker` of `bullmqWorker\(\)` to be a BullMQ Worker/)
  })

  it('is a component at Priority.WORKERS named `bullmq`', () => {
    const worker = { close: async () => {}, on: () => worker, isRunning: () => true }
    expect(bullmqWorker(worker)).toMatchObject({ name: 'bullmq', priority: Priority.WORKERS })
    expect(() => bullmqWorker(worker, { timeout: '5s' } as never)).toThrow(/`options.timeout`/)
  })
})
