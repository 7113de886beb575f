import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { connect as connectV3 } from '@nats-io/transport-node'
import mysql from 'mysql2'
import mysqlPromise, { type RowDataPacket } from 'mysql2/promise'
import postgres from 'postgres'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlPoolCluster } from '../../src/adapters/mysql/index.js'
import { postgresSql } from '../../src/adapters/postgres/index.js'
import { redisClient } from '../../src/adapters/redis/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'
import { detailsOf } from '../fixtures/services/stop-on-sigterm.js'
import { exitWithin, type Fixture, jsonLine, runFixture } from './child.js'

async function failedStop(lifecycle: Lifecycle): Promise<ShutdownReport> {
  const error = await lifecycle.stop().then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ShutdownError)
  return (error as ShutdownError).report
}

/** SIGTERM once the fixture has work in flight; it must exit with 0, on its own, within `ms`. */
async function stopAndExit(fixture: Fixture, ms = 5_000): Promise<ShutdownReport> {
  fixture.child.kill('SIGTERM')
  const exit = await exitWithin(fixture, ms)
  expect(exit, fixture.stderr()).toMatchObject({ code: 0, signal: null })
  const report = jsonLine<ShutdownReport>(fixture, 'report:')
  expect(report.ok).toBe(true)
  return report
}

const hook = (report: ShutdownReport) => report.phases[0]?.hooks[0]

describe('node-redis (redis v5) with redisClient()', () => {
  const admin = createClient({ url: 'redis://127.0.0.1:6379' })
  beforeAll(() => admin.connect())
  afterAll(() => admin.close())

  it.each([
    ['v5 API (close/destroy)', 'node-redis'],
    ['v4 API (quit/disconnect)', 'node-redis-v4'],
  ])('%s: 2,001 commands in flight get their replies, then the process exits on its own', async (_, kind) => {
    const key = `gl-test:${randomUUID()}`
    const fixture = runFixture('exit-redis', [key, kind])
    await fixture.line((line) => line === 'ready')
    const report = await stopAndExit(fixture)
    expect(jsonLine(fixture, 'work:')).toEqual({ completed: 2_001 })
    expect(await admin.get(key)).toBe('2000')
    expect(detailsOf(report, 'redis')).toEqual({ status: 'ready', quit: true })
    await admin.del(key)
  })

  it('destroys a client whose command never returns when the budget runs out', async () => {
    const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(redisClient(redis, { timeout: 200 }))
    const forever = redis.blPop(`gl-test:${randomUUID()}`, 0)
    const report = await failedStop(lifecycle)
    expect(hook(report)).toMatchObject({
      status: 'timeout',
      details: { status: 'ready', disconnected: true },
    })
    await expect(forever).rejects.toThrow()
    expect(redis.isOpen).toBe(false)
  })
})

describe('postgres.js with postgresSql()', () => {
  const table = `gl_pgjs_${randomUUID().replaceAll('-', '')}`
  const admin = postgres({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 1 })
  beforeAll(() => admin.unsafe(`create table ${table} (step int not null)`))
  afterAll(async () => {
    await admin.unsafe(`drop table if exists ${table}`)
    await admin.end()
  })

  it('queries in flight and queued, and an open transaction, complete; the process exits on its own', async () => {
    const fixture = runFixture('exit-postgres', [table])
    await fixture.line((line) => line === 'ready')
    const report = await stopAndExit(fixture)
    expect(jsonLine(fixture, 'work:')).toEqual({ completed: 6 })
    expect(detailsOf(report, 'postgres')).toMatchObject({ ended: true })
    const rows = await admin.unsafe(`select step from ${table} order by step`)
    expect(rows.map((row) => row.step)).toEqual([1, 2])
  })

  it('refuses new queries once the stop began', async () => {
    const sql = postgres({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 1 })
    await sql`select 1`
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(postgresSql(sql))
    // postgres.js starts a query when it is awaited (`then`), not when it is written.
    const slow = sql`select pg_sleep(0.3)`.then(() => 'completed')
    await sleep(20)
    const stopped = lifecycle.stop()
    await sleep(20)
    await expect(sql`select 1`).rejects.toThrow(/CONNECTION_ENDED/)
    expect(await slow).toBe('completed')
    expect(hook(await stopped)).toMatchObject({ status: 'ok', details: { ended: true } })
  })

  it('destroys the connection of a query that outlives the budget (the query rejects)', async () => {
    const application = `gl-test-${randomUUID()}`
    const sql = postgres({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'test',
      max: 1,
      connection: { application_name: application },
    })
    await sql`select 1`
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(postgresSql(sql, { timeout: 300 }))
    const forever = sql`select pg_sleep(30)`.catch((error: { code?: string }) => error.code)
    await sleep(50)
    const report = await failedStop(lifecycle)
    expect(hook(report)).toMatchObject({ status: 'timeout', details: { ended: false } })
    expect(await forever).toBe('CONNECTION_DESTROYED')
    // PostgreSQL notices the client is gone only when pg_sleep returns: end the backend here.
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${application}`
  })
})

describe('mysql2 PoolCluster with mysqlPoolCluster()', () => {
  const CONNECTION_ONE = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }
  const CONNECTION = { ...CONNECTION_ONE, connectionLimit: 2 }

  /** One query on node `node` of a callback or promise cluster; resolves with `n` back from the server. */
  type Query = (node: string, n: number) => Promise<number>
  const SLOW = 'SELECT SLEEP(0.2) AS s, ? AS n'

  it.each([
    [
      'callback',
      (): [mysql.PoolCluster, Query] => {
        const cluster = mysql.createPoolCluster()
        const query: Query = (node, n) =>
          new Promise((resolve, reject) => {
            cluster.of(node).query<RowDataPacket[]>(SLOW, [n], (error, rows) => {
              if (error) reject(error)
              else resolve(Number(rows[0]?.n))
            })
          })
        return [cluster, query]
      },
    ],
    [
      'promise',
      (): [mysqlPromise.PoolCluster, Query] => {
        const cluster = mysqlPromise.createPoolCluster()
        const query: Query = async (node, n) => {
          const [rows] = await cluster.of(node).query<RowDataPacket[]>(SLOW, [n])
          return Number(rows[0]?.n)
        }
        return [cluster, query]
      },
    ],
  ] as const)(
    '%s API: 12 queries over two pools (4 running, 8 queued) complete, then every pool ends',
    async (_, make) => {
      const [cluster, query] = make()
      cluster.add('primary', CONNECTION)
      cluster.add('replica', CONNECTION)
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.register(mysqlPoolCluster(cluster))
      const queries = Array.from({ length: 12 }, (_, n) => query(n % 2 === 0 ? 'primary' : 'replica', n))
      await sleep(50)
      const report = await lifecycle.stop()
      expect(await Promise.all(queries)).toEqual(Array.from({ length: 12 }, (_, n) => n))
      expect(hook(report)?.details).toMatchObject({ pools: 2, inFlight: 12, closed: 4 })
    },
  )

  it('destroys the transactions still open in any pool when the budget runs out; the server rolls them back', async () => {
    const admin = await mysqlPromise.createConnection(CONNECTION_ONE)
    const table = `gl_cluster_${randomUUID().replaceAll('-', '')}`
    await admin.query(`CREATE TABLE ${table} (node varchar(8) NOT NULL, step int NOT NULL) ENGINE=InnoDB`)
    try {
      const cluster = mysqlPromise.createPoolCluster()
      cluster.add('a', CONNECTION)
      cluster.add('b', CONNECTION)
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.register(mysqlPoolCluster(cluster, { timeout: 150 }))
      const connections = await Promise.all(['a', 'b'].map((node) => cluster.getConnection(node)))
      for (const [index, connection] of connections.entries()) {
        await connection.beginTransaction()
        await connection.query(`INSERT INTO ${table} VALUES (?, 1)`, [String(index)])
      }
      const stopped = failedStop(lifecycle)
      const transactions = connections.map(async (connection, index) => {
        await connection.query('SELECT SLEEP(0.6)')
        await connection.query(`INSERT INTO ${table} VALUES (?, 2)`, [String(index)])
        await connection.commit()
      })
      const report = await stopped
      expect(hook(report)).toMatchObject({
        status: 'timeout',
        details: { pools: 2, inFlight: 2, terminated: 2 },
      })
      const outcomes = await Promise.allSettled(transactions)
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected'])
      const [rows] = await admin.query<RowDataPacket[]>(`SELECT * FROM ${table}`)
      expect(rows).toEqual([])
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${table}`)
      await admin.end()
    }
  })
})

describe('NATS v3 (@nats-io/transport-node) with natsConnection()', () => {
  it('5 requests being answered get their replies, then the connection drains and the process exits', async () => {
    const nc = await connectV3({ servers: '127.0.0.1:4222' })
    try {
      const subject = `gl.test.${randomUUID()}`
      const fixture = runFixture('exit-nats', [subject, 'v3'])
      await fixture.line((line) => line === 'ready')
      const requests = Array.from({ length: 5 }, (_, n) =>
        nc.request(subject, new TextEncoder().encode(String(n)), { timeout: 3_000 }),
      )
      await fixture.line((line) => line === 'received:5')
      const report = await stopAndExit(fixture)
      const replies = await Promise.all(requests)
      expect(replies.map((reply) => new TextDecoder().decode(reply.data))).toEqual(
        Array.from({ length: 5 }, (_, n) => `reply to ${n}`),
      )
      expect(detailsOf(report, 'nats')).toMatchObject({ drained: true, inMsgs: 5, outMsgs: 5 })
      await expect(nc.request(subject, new Uint8Array(), { timeout: 500 })).rejects.toThrow()
    } finally {
      await nc.close()
    }
  })
})
