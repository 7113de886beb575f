import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { redisClient } from '../../src/adapters/redis/index.js'
import { Lifecycle, Priority } from '../../src/index.js'

describe('redisClient()', () => {
  it.each([
    ['undefined', undefined],
    ['a URL', 'redis://127.0.0.1'],
    ['an object without disconnect()', { status: 'ready', quit: async (): Promise<string> => 'OK' }],
    ['an object without status', { quit: async (): Promise<string> => 'OK', disconnect() {} }],
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
})
