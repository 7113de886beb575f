import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib'
import type { Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Pool as MysqlCallbackPool } from 'mysql2'
import type { Pool as MysqlPromisePool } from 'mysql2/promise'
import type { NatsConnection } from 'nats'
import type { Pool as PgPool } from 'pg'
import { describe, expectTypeOf, it } from 'vitest'
import type { WebSocketServer } from 'ws'
import type { AmqpChannelLike, AmqpConnectionLike } from '../../src/adapters/amqp/index.js'
import type { BullmqWorkerLike } from '../../src/adapters/bullmq/index.js'
import type { MysqlPoolLike } from '../../src/adapters/mysql/index.js'
import type { NatsConnectionLike } from '../../src/adapters/nats/index.js'
import type { PgPoolLike } from '../../src/adapters/pg/index.js'
import type { RedisClientLike } from '../../src/adapters/redis/index.js'
import type { WebSocketServerLike } from '../../src/adapters/ws/index.js'

describe('adapter types accept the real clients without importing them', () => {
  it('pg Pool is a PgPoolLike', () => {
    expectTypeOf<PgPool>().toMatchTypeOf<PgPoolLike>()
  })
  it('mysql2 pools (callback and promise API) are MysqlPoolLike', () => {
    expectTypeOf<MysqlCallbackPool>().toMatchTypeOf<MysqlPoolLike>()
    expectTypeOf<MysqlPromisePool>().toMatchTypeOf<MysqlPoolLike>()
  })
  it('ioredis Redis is a RedisClientLike', () => {
    expectTypeOf<Redis>().toMatchTypeOf<RedisClientLike>()
  })
  it('amqplib Channel and ChannelModel fit the consumer and the connection', () => {
    expectTypeOf<Channel>().toMatchTypeOf<AmqpChannelLike<ConsumeMessage>>()
    expectTypeOf<ChannelModel>().toMatchTypeOf<AmqpConnectionLike>()
  })
  it('nats NatsConnection is a NatsConnectionLike', () => {
    expectTypeOf<NatsConnection>().toMatchTypeOf<NatsConnectionLike>()
  })
  it('bullmq Worker is a BullmqWorkerLike', () => {
    expectTypeOf<Worker>().toMatchTypeOf<BullmqWorkerLike>()
  })
  it('ws WebSocketServer is a WebSocketServerLike', () => {
    expectTypeOf<WebSocketServer>().toMatchTypeOf<WebSocketServerLike>()
  })
})
