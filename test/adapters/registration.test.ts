import { EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import mysql from 'mysql2'
import pg from 'pg'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { amqpConnection, amqpConsumer } from '../../src/adapters/amqp/index.js'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { mysqlPool, mysqlPoolCluster } from '../../src/adapters/mysql/index.js'
import { natsConnection } from '../../src/adapters/nats/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { postgresSql } from '../../src/adapters/postgres/index.js'
import { redisClient } from '../../src/adapters/redis/index.js'
import { wsServer } from '../../src/adapters/ws/index.js'
import { type Component, Lifecycle } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

/** A lifecycle that already has a component named `name`: registering another `name` is refused. */
function taken(name: string): Lifecycle {
  const lifecycle = new Lifecycle({ logger: false })
  lifecycle.onStop(name, () => {})
  return lifecycle
}

const EVENTS = {
  pg: ['acquire', 'release', 'remove'],
  bullmq: ['active', 'completed', 'failed'],
} as const

function listeners(emitter: EventEmitter, events: readonly string[]): number {
  return events.reduce((total, event) => total + emitter.listenerCount(event), 0)
}

class FakeWorker extends EventEmitter {
  async close(): Promise<void> {}
  isRunning(): boolean {
    return true
  }
}

describe('adapters that listen to their client do it only once register() accepted them', () => {
  it.each([
    ['pgPool', 'pg', () => new pg.Pool(), (pool: EventEmitter) => pgPool(pool as pg.Pool)],
    [
      'bullmqWorker',
      'bullmq',
      () => new FakeWorker(),
      (worker: EventEmitter) => bullmqWorker(worker as FakeWorker),
    ],
  ] as const)(
    '%s: a refused register() leaves no listener; an accepted one adds them, unregister removes them',
    (_, name, client, adapter) => {
      const emitter = client()
      const component = adapter(emitter)
      expect(listeners(emitter, EVENTS[name])).toBe(0)
      expect(() => taken(name).register(component)).toThrow(/to be unique, got a duplicate/)
      expect(listeners(emitter, EVENTS[name])).toBe(0)
      const lifecycle = new Lifecycle({ logger: false })
      const unregister = lifecycle.register(component)
      expect(listeners(emitter, EVENTS[name])).toBe(3)
      unregister()
      expect(listeners(emitter, EVENTS[name])).toBe(0)
    },
  )
})

describe('every adapter and worker factory: a refused register() leaves the component usable elsewhere', () => {
  const channel = {
    prefetch: async () => ({}),
    consume: async () => ({ consumerTag: 'tag' }),
    cancel: async () => ({}),
    ack() {},
    nack() {},
    close: async () => {},
  }
  const factories: [string, () => Component][] = [
    ['pgPool', () => pgPool(new pg.Pool())],
    ['postgresSql', () => postgresSql(postgres({ host: '127.0.0.1', port: 1 }))],
    ['mysqlPool', () => mysqlPool(mysql.createPool({}))],
    ['mysqlPoolCluster', () => mysqlPoolCluster(mysql.createPoolCluster())],
    ['redisClient', () => redisClient(new Redis({ lazyConnect: true }))],
    ['amqpConsumer', () => amqpConsumer(channel, 'q', () => {})],
    ['amqpConnection', () => amqpConnection({ close: async () => {}, createChannel: async () => ({}) })],
    [
      'natsConnection',
      () => natsConnection({ drain: async () => {}, close: async () => {}, isClosed: () => false }),
    ],
    ['bullmqWorker', () => bullmqWorker(new FakeWorker())],
    ['wsServer', () => wsServer(new WebSocketServer({ noServer: true }))],
    [
      'worker',
      () =>
        worker(async ({ signal }) => void (await sleep(60_000, undefined, { signal }).catch(() => {})), {
          name: 'w',
        }),
    ],
    ['consumer', () => consumer({ next: () => undefined }, () => {}, { name: 'c' })],
  ]

  it.each(factories)('%s', async (_, make) => {
    const component = make()
    expect(() => taken(component.name).register(component)).toThrow(/to be unique, got a duplicate/)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(component)
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(report.ok).toBe(true)
    expect(report.phases.flatMap((phase) => phase.hooks).map((hook) => hook.name)).toEqual([component.name])
  })
})
