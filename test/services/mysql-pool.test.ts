import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import mysql from 'mysql2'
import mysqlPromise, { type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlPool } from '../../src/adapters/mysql/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'

const CONNECTION = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }
const table = `gl_tx_${randomUUID().replaceAll('-', '')}`
let admin: mysqlPromise.Connection

beforeAll(async () => {
  admin = await mysqlPromise.createConnection(CONNECTION)
  await admin.query(`CREATE TABLE ${table} (run varchar(64) NOT NULL, step int NOT NULL) ENGINE=InnoDB`)
})
afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${table}`)
  await admin.end()
})

/** Which of these server threads still exist, waiting briefly for them to go away. */
async function alive(threads: readonly number[]): Promise<number[]> {
  let left: number[] = [...threads]
  for (let i = 0; i < 100 && left.length > 0; i++) {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST')
    const ids = new Set(rows.map((row) => Number(row.ID)))
    left = threads.filter((thread) => ids.has(thread))
    if (left.length > 0) await sleep(20)
  }
  return left
}

async function rows(run: string): Promise<number[]> {
  const [result] = await admin.query<RowDataPacket[]>(
    `SELECT step FROM ${table} WHERE run = ? ORDER BY step`,
    [run],
  )
  return result.map((row) => Number(row.step))
}

function details(report: ShutdownReport): Record<string, unknown> | undefined {
  return report.phases[0]?.hooks[0]?.details
}

describe('mysqlPool() against MariaDB', () => {
  it('lets 20 queries in flight complete on a promise pool, queued ones included, then ends it', async () => {
    const pool = mysqlPromise.createPool({ ...CONNECTION, connectionLimit: 5 })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPool(pool))
    await lifecycle.start()
    // 5 run at once, 15 wait: `pool.end()` alone would fail those with "Pool is closed."
    const queries = Array.from({ length: 20 }, (_, n) =>
      pool.query<RowDataPacket[]>('SELECT SLEEP(0.2) AS s, ? AS n, CONNECTION_ID() AS thread', [n]),
    )
    await sleep(50)
    const report = await lifecycle.stop()
    const results = await Promise.all(queries)
    expect(results.map(([result]) => Number(result[0]?.n))).toEqual(Array.from({ length: 20 }, (_, n) => n))
    expect(details(report)).toMatchObject({ inFlight: 20, closed: 5 })
    expect(details(report)?.waitedMs).toBeGreaterThanOrEqual(600)
    const threads = [...new Set(results.map(([result]) => Number(result[0]?.thread)))]
    expect(threads).toHaveLength(5)
    expect(await alive(threads)).toEqual([])
    await expect(pool.query('SELECT 1')).rejects.toThrow('Pool is closed.')
  })

  it('waits for a callback pool too, and fails a query issued after the stop', async () => {
    const pool = mysql.createPool({ ...CONNECTION, connectionLimit: 2 })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPool(pool))
    const results: number[] = []
    for (let n = 0; n < 4; n++) {
      pool.query<RowDataPacket[]>('SELECT SLEEP(0.1) AS s, ? AS n', [n], (error, result) => {
        if (!error) results.push(Number(result[0]?.n))
      })
    }
    await sleep(20)
    const report = await lifecycle.stop()
    expect(results.sort()).toEqual([0, 1, 2, 3])
    expect(details(report)).toMatchObject({ inFlight: 4, closed: 2 })
    const error = await new Promise((resolve) => pool.query('SELECT 1', (e) => resolve(e)))
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('Pool is closed.')
  })

  it('lets a transaction that the stop interrupts commit whole', async () => {
    const pool = mysqlPromise.createPool({ ...CONNECTION, connectionLimit: 2 })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPool(pool))
    const run = randomUUID()
    const connection = await pool.getConnection()
    await connection.beginTransaction()
    await connection.query(`INSERT INTO ${table} VALUES (?, 1)`, [run])
    const stopped = lifecycle.stop()
    await connection.query('SELECT SLEEP(0.2)')
    await connection.query(`INSERT INTO ${table} VALUES (?, 2)`, [run])
    await connection.commit()
    connection.release()
    const report = await stopped
    expect(details(report)).toMatchObject({ inFlight: 1, closed: 1 })
    expect(await rows(run)).toEqual([1, 2])
  })

  it('destroys a transaction still open when the budget runs out, which the server rolls back whole', async () => {
    const pool = mysqlPromise.createPool({ ...CONNECTION, connectionLimit: 2 })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(mysqlPool(pool, { timeout: 150 }))
    const run = randomUUID()
    const connection = await pool.getConnection()
    const thread = connection.threadId
    await connection.beginTransaction()
    await connection.query(`INSERT INTO ${table} VALUES (?, 1)`, [run])
    const stopped = lifecycle.stop()
    const transaction = (async () => {
      await connection.query('SELECT SLEEP(0.6)')
      await connection.query(`INSERT INTO ${table} VALUES (?, 2)`, [run])
      await connection.commit()
    })()
    await expect(transaction).rejects.toThrow()
    const error = await stopped.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(ShutdownError)
    const report = (error as ShutdownError).report
    expect(report.phases[0]?.hooks[0]?.status).toBe('timeout')
    expect(details(report)).toMatchObject({ inFlight: 1, terminated: 1 })
    expect(await alive([thread])).toEqual([])
    expect(await rows(run)).toEqual([])
  })
})
