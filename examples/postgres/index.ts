/**
 * A PostgreSQL pool (`pg`) behind an HTTP API. `POST /orders` writes an order and its lines in one
 * transaction on a client checked out of the pool, and always releases it. On SIGTERM the server
 * stops taking requests, the transactions in flight commit, and only then does the pool end.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1/test npx tsx examples/postgres/index.ts
 *   curl -X POST localhost:3000/orders  then Ctrl+C
 *
 * `TABLE` (default `orders`) names the table; its lines go to `<TABLE>_lines`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { httpServer } from 'graceful-lifecycle/http'
import { pgPool } from 'graceful-lifecycle/pg'
import pg from 'pg'

const table = process.env.TABLE ?? 'orders'
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
const lifecycle = new Lifecycle({ timeout: 15_000 })

async function placeOrder(lines: number): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ${table} (lines) VALUES ($1) RETURNING id`,
      [lines],
    )
    const id = rows[0]?.id ?? 0
    for (let line = 1; line <= lines; line++) {
      await client.query(`INSERT INTO ${table}_lines (order_id, line) VALUES ($1, $2)`, [id, line])
      await sleep(50) // the real work between two statements: pricing, stock, ...
    }
    await client.query('COMMIT')
    return id
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release() // a client never released keeps pool.end(), and so the stop, waiting
  }
}

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/orders') {
    console.log('order started')
    try {
      const id = await placeOrder(5)
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }))
    } catch (error) {
      res.writeHead(500).end(String(error))
    }
    return
  }
  res.writeHead(404).end()
})

lifecycle.register({
  name: 'schema',
  start: async () => {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id serial PRIMARY KEY, lines int NOT NULL)`)
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${table}_lines (order_id int NOT NULL REFERENCES ${table}(id), line int NOT NULL)`,
    )
  },
})
lifecycle.register(httpServer(server, { timeout: 10_000 }))
lifecycle.register(pgPool(pool, { timeout: 5_000 })) // Priority.RESOURCES: after the server drained
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
