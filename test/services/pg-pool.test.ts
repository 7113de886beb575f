import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgPool } from '../../src/adapters/pg/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'

const CONNECTION = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }

const admin = new pg.Client(CONNECTION)
const table = `gl_tx_${randomUUID().replaceAll('-', '')}`
beforeAll(async () => {
  await admin.connect()
  await admin.query(`CREATE TABLE ${table} (run text NOT NULL, step int NOT NULL)`)
})
afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${table}`)
  await admin.end()
})

function newPool(max: number): { pool: pg.Pool; app: string } {
  const app = `gl-test-${randomUUID()}`
  return { pool: new pg.Pool({ ...CONNECTION, max, application_name: app }), app }
}

/** Server-side connections of this pool, waiting briefly for the backends to go away. */
async function serverConnections(app: string): Promise<number> {
  let count = -1
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [app],
    )
    count = rows[0]?.n ?? -1
    if (count === 0) break
    await sleep(20)
  }
  return count
}

function details(report: ShutdownReport): Record<string, unknown> | undefined {
  return report.phases[0]?.hooks[0]?.details
}

async function rows(run: string): Promise<number[]> {
  const result = await admin.query<{ step: number }>(
    `SELECT step FROM ${table} WHERE run = $1 ORDER BY step`,
    [run],
  )
  return result.rows.map((row) => row.step)
}

describe('pgPool() against PostgreSQL', () => {
  it('lets 20 queries in flight complete, queued ones included, then ends the pool', async () => {
    const { pool, app } = newPool(10)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(pgPool(pool))
    await lifecycle.start()
    // 10 run at once, 10 wait for a client: `pool.end()` alone would leave those hanging forever.
    const queries = Array.from({ length: 20 }, (_, n) =>
      pool.query<{ n: number }>('SELECT pg_sleep(0.3), $1::int AS n', [n]),
    )
    while (pool.totalCount < 10) await sleep(5)

    const report = await lifecycle.stop()
    const results = await Promise.all(queries)
    expect(results.map((result) => result.rows[0]?.n)).toEqual(Array.from({ length: 20 }, (_, n) => n))
    expect(details(report)).toMatchObject({ inFlight: 20, closed: 10 })
    expect(details(report)?.waitedMs).toBeGreaterThanOrEqual(400)
    expect(pool.totalCount).toBe(0)
    expect(await serverConnections(app)).toBe(0)
  })

  it('fails a query issued after the stop with a clear error', async () => {
    const { pool } = newPool(2)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(pgPool(pool))
    await pool.query('SELECT 1')
    await lifecycle.stop()
    await expect(pool.query('SELECT 1')).rejects.toThrow('Cannot use a pool after calling end on the pool')
    expect(pool.totalCount).toBe(0)
  })

  it('lets a transaction that the stop interrupts commit whole', async () => {
    const { pool, app } = newPool(2)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(pgPool(pool))
    const run = randomUUID()
    const client = await pool.connect()
    await client.query('BEGIN')
    await client.query(`INSERT INTO ${table} VALUES ($1, 1)`, [run])
    const stopped = lifecycle.stop()
    await client.query('SELECT pg_sleep(0.2)')
    await client.query(`INSERT INTO ${table} VALUES ($1, 2)`, [run])
    await client.query('COMMIT')
    client.release()
    const report = await stopped
    expect(details(report)).toMatchObject({ inFlight: 1, closed: 1 })
    expect(await rows(run)).toEqual([1, 2])
    expect(await serverConnections(app)).toBe(0)
  })

  it('ends a transaction still open when the budget runs out, which PostgreSQL rolls back whole', async () => {
    const { pool, app } = newPool(2)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(pgPool(pool, { timeout: 150 }))
    const run = randomUUID()
    const client = await pool.connect()
    await client.query('BEGIN')
    await client.query(`INSERT INTO ${table} VALUES ($1, 1)`, [run])
    const stopped = lifecycle.stop()
    const transaction = (async () => {
      await client.query('SELECT pg_sleep(0.6)')
      await client.query(`INSERT INTO ${table} VALUES ($1, 2)`, [run])
      await client.query('COMMIT')
    })()
    await expect(transaction).rejects.toThrow(/terminated/i)
    client.release(true)
    const error = await stopped.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(ShutdownError)
    const report = (error as ShutdownError).report
    expect(report.phases[0]?.hooks[0]?.status).toBe('timeout')
    expect(details(report)).toMatchObject({ inFlight: 1, terminated: 1 })
    expect(pool.totalCount).toBe(0)
    // The server notices the closed socket when its sleep ends, and rolls the transaction back.
    expect(await serverConnections(app)).toBe(0)
    expect(await rows(run)).toEqual([])
  })
})
