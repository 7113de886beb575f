import { describe, expect, it } from 'vitest'
import { amqpConnection, amqpConsumer } from '../../src/adapters/amqp/index.js'
import { Priority } from '../../src/index.js'

/** Has every method the consumer calls; nothing here is ever called by these tests. */
const channel = {
  prefetch: async () => ({}),
  consume: async () => ({ consumerTag: 'tag' }),
  cancel: async () => ({}),
  ack() {},
  nack() {},
  close: async () => {},
}
const handler = async () => {}

describe('amqpConsumer()', () => {
  it.each([
    ['undefined', undefined],
    ['a connection (no consume())', { close: async () => {}, createChannel: async () => ({}) }],
    ['a channel without nack()', { ...channel, nack: undefined }],
  ])('refuses %s as the channel with a TypeError naming `channel`', (_, value) => {
    const call = () => amqpConsumer(value as never, 'orders', handler)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `channel` of `amqpConsumer\(\)` to be an amqplib Channel \(promise API\)/)
  })

  it('refuses an empty queue name and a handler that is not a function', () => {
    expect(() => amqpConsumer(channel, '', handler)).toThrow(/`queue`/)
    expect(() => amqpConsumer(channel, 'orders', 'handle' as never)).toThrow(/`handler`/)
  })

  it.each([
    [{ prefetch: 0 }, /`options.prefetch` .* an integer from 1 to 65535/],
    [{ prefetch: 2.5 }, /`options.prefetch`/],
    [{ concurrency: -1 }, /`options.concurrency`/],
    [{ requeueOnError: 'yes' }, /`options.requeueOnError`/],
    [{ consumeOptions: { noAck: true } }, /`options.consumeOptions.noAck`/],
    [{ consumeOptions: 'exclusive' }, /`options.consumeOptions`/],
    [{ connection: {} }, /`options.connection` .* an amqplib connection/],
    [{ prefetchCount: 10 }, /Unknown option `prefetchCount`/],
  ])('refuses bad options %o', (options, message) => {
    expect(() => amqpConsumer(channel, 'orders', handler, options as never)).toThrow(message)
  })

  it('is a component at Priority.WORKERS named after its queue, with a start and a stop', () => {
    const component = amqpConsumer(channel, 'orders', handler, { timeout: 9_000 })
    expect(component).toMatchObject({ name: 'amqp:orders', priority: Priority.WORKERS, timeout: 9_000 })
    expect(component.start).toBeTypeOf('function')
    expect(component.stop).toBeTypeOf('function')
  })
})

describe('amqpConnection()', () => {
  it('refuses something without close() with a TypeError naming `connection`', () => {
    expect(() => amqpConnection({} as never)).toThrow(
      /Expected `connection` of `amqpConnection\(\)` to be an amqplib connection/,
    )
  })

  it('is a component at Priority.RESOURCES named `amqp`', () => {
    expect(amqpConnection({ close: async () => {}, createChannel: async () => ({}) })).toMatchObject({
      name: 'amqp',
      priority: Priority.RESOURCES,
    })
  })
})
