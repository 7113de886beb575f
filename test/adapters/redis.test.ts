import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { describe, expect, it } from 'vitest'
import { redisClient } from '../../src/adapters/redis/index.js'
import { Lifecycle, Priority } from '../../src/index.js'

describe('redisClient()', () => {
  it.each([
    ['undefined', undefined],
    ['a URL', 'redis://127.0.0.1'],
    ['an object without disconnect()', { status: 'ready', quit: async (): Promise<string> => 'OK' }],
    ['an object without status', { quit: async (): Promise<string> => 'OK', disconnect() {} }],
    ['a node-redis-like object without close() or quit()', { isOpen: true, destroy() {} }],
    ['isOpen that is not a boolean', { isOpen: 'yes', close: async () => {}, destroy() {} }],
  ])('refuses %s at the call with a TypeError naming `client`', (_, value) => {
    const call = () => redisClient(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `client` of `redisClient\(\)` to be an ioredis client/)
  })

  it('refuses bad options', () => {
    const redis = new Redis({ lazyConnect: true })
    expect(() => redisClient(redis, { timeout: Number.NaN })).toThrow(/`options.timeout`/)
    expect(() => redisClient(redis, { force: true } as never)).toThrow(/Unknown option `force`/)
  })

  it('is a component at Priority.RESOURCES named `redis`', () => {
    expect(redisClient(new Redis({ lazyConnect: true }))).toMatchObject({
      name: 'redis',
      priority: Priority.RESOURCES,
    })
  })

  it('disconnects a lazy client that never connected instead of waiting to quit', async () => {
    const redis = new Redis({ lazyConnect: true })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(redis))
    const report = await lifecycle.stop()
    expect(redis.status).toBe('end')
    expect(report.phases[0]?.hooks[0]?.details).toEqual({ status: 'wait', disconnected: true })
  })
  it('accepts a node-redis v5 client; one that never connected has nothing to close', async () => {
    const redis = createClient({ url: 'redis://127.0.0.1:1' })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(redis))
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]).toMatchObject({ status: 'ok', details: { status: 'closed' } })
  })

  it('node-redis: closes gracefully when ready, destroys when the budget runs out first', async () => {
    const calls: string[] = []
    let settle!: () => void
    const v5 = {
      isOpen: true,
      isReady: true,
      close: () => {
        calls.push('close')
        return new Promise<void>((resolve) => {
          settle = resolve
        })
      },
      destroy: () => void calls.push('destroy'),
    }
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(v5, { timeout: 50 }))
    const error = await lifecycle.stop().then(
      () => undefined,
      (reason: unknown) => reason as { report: { phases: { hooks: { details: unknown }[] }[] } },
    )
    expect(calls).toEqual(['close', 'destroy'])
    expect(error?.report.phases[0]?.hooks[0]?.details).toEqual({ status: 'ready', disconnected: true })
    settle()
  })

  it('node-redis v4 (quit/disconnect only): quits, and a client still connecting is disconnected at once', async () => {
    const calls: string[] = []
    const v4 = (isReady: boolean) => ({
      isOpen: true,
      isReady,
      quit: async () => void calls.push('quit'),
      disconnect: async () => void calls.push('disconnect'),
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(v4(true), { name: 'ready', priority: 2 }))
    lifecycle.register(redisClient(v4(false), { name: 'connecting', priority: 1 }))
    const report = await lifecycle.stop()
    expect(calls).toEqual(['quit', 'disconnect'])
    expect(report.phases.map((phase) => phase.hooks[0]?.details)).toEqual([
      { status: 'ready', quit: true },
      { status: 'connecting', disconnected: true },
    ])
  })
})
