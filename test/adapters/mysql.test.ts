import mysql from 'mysql2'
import mysqlPromise from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import { mysqlPool, mysqlPoolCluster } from '../../src/adapters/mysql/index.js'
import { Lifecycle, Priority } from '../../src/index.js'

describe('mysqlPool()', () => {
  it.each([
    ['null', null],
    ['a number', 3306],
    ['an object without end()', { query() {} }],
    ['a lone connection (no pool bookkeeping)', { end() {}, query() {} }],
  ])('refuses %s at the call with a TypeError naming `pool`', (_, value) => {
    const call = () => mysqlPool(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `pool` of `mysqlPool\(\)` to be a mysql2 pool/)
  })

  it('refuses bad options', () => {
    const pool = mysql.createPool({})
    expect(() => mysqlPool(pool, { pollInterval: -5 })).toThrow(/`options.pollInterval`/)
    expect(() => mysqlPool(pool, { priority: Number.POSITIVE_INFINITY })).toThrow(/`options.priority`/)
    expect(() => mysqlPool(pool, { size: 3 } as never)).toThrow(/Unknown option `size`/)
  })

  it('accepts the callback pool and the promise pool, at Priority.RESOURCES', () => {
    expect(mysqlPool(mysql.createPool({}))).toMatchObject({ name: 'mysql', priority: Priority.RESOURCES })
    expect(mysqlPool(mysqlPromise.createPool({}), { name: 'db' })).toMatchObject({ name: 'db' })
  })

  it('ends a promise pool that never connected', async () => {
    const pool = mysqlPromise.createPool({})
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPool(pool))
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ inFlight: 0, closed: 0 })
    await expect(pool.query('SELECT 1')).rejects.toThrow('Pool is closed.')
  })
  it('points a PoolCluster to mysqlPoolCluster()', () => {
    expect(() => mysqlPool(mysql.createPoolCluster() as never)).toThrow(/use `mysqlPoolCluster\(\)`/)
  })
})

describe('mysqlPoolCluster()', () => {
  it.each([
    ['undefined', undefined],
    ['a pool', mysql.createPool({})],
    ['an object with end(), add() and of() but no bookkeeping', { end() {}, add() {}, of() {} }],
  ])('refuses %s at the call with a TypeError naming `cluster`', (_, value) => {
    const call = () => mysqlPoolCluster(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `cluster` of `mysqlPoolCluster\(\)` to be a mysql2 PoolCluster/)
  })

  it('accepts the callback and the promise cluster, and refuses bad options', () => {
    expect(mysqlPoolCluster(mysql.createPoolCluster())).toMatchObject({
      name: 'mysql',
      priority: Priority.RESOURCES,
    })
    expect(mysqlPoolCluster(mysqlPromise.createPoolCluster(), { name: 'shards' })).toMatchObject({
      name: 'shards',
    })
    expect(() => mysqlPoolCluster(mysql.createPoolCluster(), { pollInterval: -1 })).toThrow(
      /`options.pollInterval` of `mysqlPoolCluster\(\)`/,
    )
  })

  it('ends a cluster whose pools never connected, counting them', async () => {
    const cluster = mysqlPromise.createPoolCluster()
    cluster.add('a', {})
    cluster.add('b', {})
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPoolCluster(cluster))
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ pools: 2, inFlight: 0, closed: 0 })
    // A second stop (another lifecycle) finds it ended.
    const again = new Lifecycle({ logger: false })
    again.register(mysqlPoolCluster(cluster))
    expect((await again.stop()).phases[0]?.hooks[0]?.details).toEqual({ alreadyEnded: true })
  })
})
