import { describe, expect, it } from 'vitest'
import { natsConnection } from '../../src/adapters/nats/index.js'
import { Priority } from '../../src/index.js'

describe('natsConnection()', () => {
  it.each([
    ['undefined', undefined],
    ['a server URL', 'nats://127.0.0.1:4222'],
    ['an object without drain()', { close: async () => {}, isClosed: () => false }],
    ['a subscription (no isClosed() on the connection)', { drain: async () => {}, close: async () => {} }],
  ])('refuses %s at the call with a TypeError naming `nc`', (_, value) => {
    const call = () => natsConnection(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `nc` of `natsConnection\(\)` to be a NATS connection/)
  })

  it('is a component at Priority.RESOURCES named `nats`', () => {
    const nc = { drain: async () => {}, close: async () => {}, isClosed: () => false }
    expect(natsConnection(nc)).toMatchObject({ name: 'nats', priority: Priority.RESOURCES })
    expect(() => natsConnection(nc, { name: 42 } as never)).toThrow(/`options.name`/)
  })
})
