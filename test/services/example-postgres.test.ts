import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, expect, test } from 'vitest'
import { run } from '../examples/child.js'
import { fetchOnce } from '../examples/http-client.js'

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const table = `gl_example_${randomUUID().replaceAll('-', '')}`
const admin = new pg.Client({ connectionString: DATABASE_URL })
afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${table}_lines, ${table}`)
  await admin.end()
})

test('examples/postgres: SIGTERM mid-transaction: the order commits whole, the pool ends, exit 0', async () => {
  const child = run('examples/postgres/index.ts', { env: { DATABASE_URL, TABLE: table } })
  const port = await child.port()
  const order = fetchOnce(port, '/orders', 'POST')
  await child.line(/order started/)
  child.kill('SIGTERM')
  expect(await order).toMatchObject({ kind: 'response', status: 201 })
  expect(await child.exit()).toEqual({ code: 0, signal: null })
  expect(child.stdout()).toMatch(/pg +ok/)
  await admin.connect()
  const { rows } = await admin.query<{ orders: number; lines: number }>(
    `SELECT (SELECT count(*)::int FROM ${table}) AS orders, (SELECT count(*)::int FROM ${table}_lines) AS lines`,
  )
  expect(rows[0]).toEqual({ orders: 1, lines: 5 })
})
