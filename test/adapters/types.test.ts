import type { NatsConnection as NatsV3Connection } from '@nats-io/transport-node'
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib'
import type { Queue, Worker } from 'bullmq'
import type { Cluster, Redis } from 'ioredis'
import type { Pool as MysqlCallbackPool, PoolCluster as MysqlCallbackPoolCluster } from 'mysql2'
import type {
  Connection as MysqlPromiseConnection,
  Pool as MysqlPromisePool,
  PoolCluster as MysqlPromisePoolCluster,
} from 'mysql2/promise'
import type { NatsConnection } from 'nats'
import type { Client as PgClient, Pool as PgPool } from 'pg'
import type { Sql } from 'postgres'
import type { RedisClientType, RedisClusterType } from 'redis'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { WebSocketServer } from 'ws'
import {
  type AmqpChannelLike,
  type AmqpConnectionLike,
  amqpConnection,
  amqpConsumer,
} from '../../src/adapters/amqp/index.js'
import { type BullmqWorkerLike, bullmqWorker } from '../../src/adapters/bullmq/index.js'
import {
  type MysqlPoolClusterLike,
  type MysqlPoolLike,
  mysqlPool,
  mysqlPoolCluster,
} from '../../src/adapters/mysql/index.js'
import { type NatsConnectionLike, natsConnection } from '../../src/adapters/nats/index.js'
import { type PgPoolLike, pgPool } from '../../src/adapters/pg/index.js'
import { type PostgresSqlLike, postgresSql } from '../../src/adapters/postgres/index.js'
import { type RedisClientLike, redisClient } from '../../src/adapters/redis/index.js'
import { type WsServerLike, wsServer } from '../../src/adapters/ws/index.js'

/** A value of type `T` for calls that are compiled, never run. */
const a = <T>(): T => undefined as T

describe('adapter types accept the real clients without importing them', () => {
  it('pg Pool is a PgPoolLike', () => {
    expectTypeOf<PgPool>().toMatchTypeOf<PgPoolLike>()
  })
  it('postgres.js Sql is a PostgresSqlLike', () => {
    expectTypeOf<Sql>().toMatchTypeOf<PostgresSqlLike>()
    expectTypeOf<Sql<{ bigint: bigint }>>().toMatchTypeOf<PostgresSqlLike>()
  })
  it('mysql2 pools and pool clusters (callback and promise API) fit', () => {
    expectTypeOf<MysqlCallbackPool>().toMatchTypeOf<MysqlPoolLike>()
    expectTypeOf<MysqlPromisePool>().toMatchTypeOf<MysqlPoolLike>()
    expectTypeOf<MysqlCallbackPoolCluster>().toMatchTypeOf<MysqlPoolClusterLike>()
    expectTypeOf<MysqlPromisePoolCluster>().toMatchTypeOf<MysqlPoolClusterLike>()
  })
  it('ioredis Redis and Cluster, node-redis clients and clusters are RedisClientLike', () => {
    expectTypeOf<Redis>().toMatchTypeOf<RedisClientLike>()
    expectTypeOf<Cluster>().toMatchTypeOf<RedisClientLike>()
    expectTypeOf<RedisClientType>().toMatchTypeOf<RedisClientLike>()
    expectTypeOf<RedisClusterType>().toMatchTypeOf<RedisClientLike>()
  })
  it('amqplib Channel and ChannelModel fit the consumer and the connection', () => {
    expectTypeOf<Channel>().toMatchTypeOf<AmqpChannelLike<ConsumeMessage>>()
    expectTypeOf<ChannelModel>().toMatchTypeOf<AmqpConnectionLike>()
  })
  it('nats v2 and NATS v3 (@nats-io/transport-node) connections are NatsConnectionLike', () => {
    expectTypeOf<NatsConnection>().toMatchTypeOf<NatsConnectionLike>()
    expectTypeOf<NatsV3Connection>().toMatchTypeOf<NatsConnectionLike>()
  })
  it('bullmq Worker is a BullmqWorkerLike', () => {
    expectTypeOf<Worker>().toMatchTypeOf<BullmqWorkerLike>()
  })
  it('ws WebSocketServer is a WsServerLike', () => {
    expectTypeOf<WebSocketServer>().toMatchTypeOf<WsServerLike>()
  })
})

describe('a client of the wrong kind does not compile', () => {
  it('each adapter refuses the clients it could be confused with', () => {
    expectTypeOf<PgPool>().not.toMatchTypeOf<MysqlPoolLike>()
    expectTypeOf<MysqlPromisePool>().not.toMatchTypeOf<PgPoolLike>()
    expectTypeOf<PgPool>().not.toMatchTypeOf<PostgresSqlLike>()
    expectTypeOf<MysqlPromisePoolCluster>().not.toMatchTypeOf<MysqlPoolLike>()
    expectTypeOf<MysqlPromisePool>().not.toMatchTypeOf<MysqlPoolClusterLike>()
    expectTypeOf<Queue>().not.toMatchTypeOf<BullmqWorkerLike>()
    expectTypeOf<NatsConnection>().not.toMatchTypeOf<AmqpConnectionLike>()
    // The calls themselves, compiled but never run.
    const calls = [
      // @ts-expect-error a pg Pool is not a mysql2 pool (the reason for these tests)
      () => mysqlPool(a<PgPool>()),
      // @ts-expect-error a mysql2 cluster goes to mysqlPoolCluster()
      () => mysqlPool(a<MysqlCallbackPoolCluster>()),
      // @ts-expect-error a lone mysql2 connection is not a pool
      () => mysqlPool(a<MysqlPromiseConnection>()),
      // @ts-expect-error a mysql2 pool is not a cluster
      () => mysqlPoolCluster(a<MysqlCallbackPool>()),
      // @ts-expect-error a mysql2 pool is not a pg Pool
      () => pgPool(a<MysqlPromisePool>()),
      // @ts-expect-error a pg Client has no pool counters
      () => pgPool(a<PgClient>()),
      // @ts-expect-error a pg Pool is not a postgres.js sql
      () => postgresSql(a<PgPool>()),
      // @ts-expect-error postgres.js is not a pg Pool
      () => pgPool(a<Sql>()),
      // @ts-expect-error a pg Pool is not a Redis client
      () => redisClient(a<PgPool>()),
      // @ts-expect-error a NATS connection is not a Redis client
      () => redisClient(a<NatsConnection>()),
      // @ts-expect-error a BullMQ Queue is not a Worker
      () => bullmqWorker(a<Queue>()),
      // @ts-expect-error an amqplib connection is not a BullMQ Worker
      () => bullmqWorker(a<ChannelModel>()),
      // @ts-expect-error a NATS connection is not an amqplib connection
      () => amqpConnection(a<NatsConnection>()),
      // @ts-expect-error an amqplib connection is not a channel
      () => amqpConsumer(a<ChannelModel>(), 'q', () => {}),
      // @ts-expect-error an ioredis client is not a NATS connection
      () => natsConnection(a<Redis>()),
      // @ts-expect-error an amqplib connection is not a NATS connection
      () => natsConnection(a<ChannelModel>()),
      // @ts-expect-error a NATS connection is not a WebSocketServer
      () => wsServer(a<NatsConnection>()),
    ]
    expect(calls).toHaveLength(17)
  })
})
