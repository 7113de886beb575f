/**
 * The demo's orders: an embedded PostgreSQL (PGlite) in a temporary folder, or a real PostgreSQL
 * when `DATABASE_URL` is set. An order is a row in `demo_orders` and its lines in
 * `demo_order_lines`, written in one transaction; the queue marks it `shipped`. Every order carries
 * the run's id: the audit counts this run's orders, and every order of any run still unshipped.
 * `DEMO_TABLES` (default `demo`) is the tables' prefix.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { PGlite } from '@electric-sql/pglite'
import { type Component, Priority } from 'graceful-lifecycle'
import { pgPool } from 'graceful-lifecycle/pg'
import pg from 'pg'

/** What a transaction runs its statements on: a PGlite transaction or a checked-out pg client. */
interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
}

export interface Audit {
  /** Orders of this run in the database. */
  readonly committed: number
  /** Orders (of any run) whose lines are not all there: dirty data. */
  readonly halfWritten: number
  /** Orders of this run shipped. */
  readonly shipped: number
  /** Orders (of any run) still `placed`: each must be waiting in the queue. */
  readonly unshipped: number
}

export interface Database {
  /** Where the orders live, for the start banner. */
  readonly where: string
  /** The component that opens the database at start and closes it at `Priority.RESOURCES`. */
  readonly component: Component
  place(run: string, lines: number): Promise<number>
  ship(id: number): Promise<void>
  /** Orders of earlier runs still `placed`: the queue takes them again. */
  unshipped(run: string): Promise<number[]>
  audit(run: string): Promise<Audit>
}

const T = process.env.DEMO_TABLES ?? 'demo'
if (!/^\w+$/.test(T)) throw new TypeError(`Expected \`DEMO_TABLES\` to be a table name prefix, got \`${T}\``)

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${T}_orders (
    id serial PRIMARY KEY, run text NOT NULL, lines int NOT NULL, status text NOT NULL DEFAULT 'placed');
  CREATE TABLE IF NOT EXISTS ${T}_order_lines (
    order_id int NOT NULL REFERENCES ${T}_orders (id), line int NOT NULL, PRIMARY KEY (order_id, line));
`

async function placeOrder(sql: Sql, run: string, lines: number): Promise<number> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO ${T}_orders (run, lines) VALUES ($1, $2) RETURNING id`,
    [run, lines],
  )
  const id = rows[0]?.id ?? 0
  for (let line = 1; line <= lines; line++) {
    await sleep(10) // pricing, stock: the transaction stays open a while, as real ones do
    await sql.query(`INSERT INTO ${T}_order_lines (order_id, line) VALUES ($1, $2)`, [id, line])
  }
  return id
}

async function audit(sql: Sql, run: string): Promise<Audit> {
  const { rows } = await sql.query<{ run: string; lines: number; status: string; written: number }>(
    `SELECT o.run, o.lines, o.status, (SELECT count(*)::int FROM ${T}_order_lines l WHERE l.order_id = o.id) AS written
       FROM ${T}_orders o`,
  )
  const own = rows.filter((row) => row.run === run)
  return {
    committed: own.length,
    halfWritten: rows.filter((row) => row.written !== row.lines).length,
    shipped: own.filter((row) => row.status === 'shipped').length,
    unshipped: rows.filter((row) => row.status === 'placed').length,
  }
}

const SHIP = `UPDATE ${T}_orders SET status = 'shipped' WHERE id = $1`
const UNSHIPPED = `SELECT id FROM ${T}_orders WHERE status = 'placed' AND run <> $1 ORDER BY id`

/** PGlite runs one statement at a time; the component waits for the transactions in flight. */
async function embedded(): Promise<Database> {
  const dir = process.env.DEMO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'graceful-lifecycle-demo-'))
  const { PGlite } = await import('@electric-sql/pglite')
  let db: PGlite | undefined
  const open = (): PGlite => {
    if (db === undefined) throw new Error('the database is not open')
    return db
  }
  const inFlight = new Set<Promise<unknown>>()
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work)
    work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    )
    return work
  }
  return {
    where: `PGlite in ${dir}`,
    component: {
      name: 'database',
      priority: Priority.RESOURCES,
      start: async () => {
        db = new PGlite(dir)
        await db.exec(SCHEMA)
      },
      stop: async ({ signal, details }) => {
        details.inFlight = inFlight.size
        // Transactions in flight commit first; at the abort, closing rolls them back.
        while (inFlight.size > 0 && !signal.aborted) await Promise.race([...inFlight]).catch(() => {})
        await open().close()
      },
      timeout: 5_000,
      // A WebAssembly PostgreSQL compiled and initialised in a fresh folder: a few seconds on a
      // laptop, far more on a busy machine, and its compile blocks the event loop.
      startTimeout: 60_000,
    },
    place: (run, lines) => tracked(open().transaction((tx) => placeOrder(tx as Sql, run, lines))),
    ship: async (id) => {
      await tracked(open().query(SHIP, [id]))
    },
    unshipped: async (run) =>
      (await open().query<{ id: number }>(UNSHIPPED, [run])).rows.map((row) => row.id),
    audit: (run) => audit(open() as Sql, run),
  }
}

/** A real PostgreSQL through a `pg` pool; `pgPool()` ends it once no client is checked out. */
async function postgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const base = pgPool(pool, { name: 'database', timeout: 5_000 })
  return {
    where: `PostgreSQL at ${new URL(url).host}`,
    component: { ...base, start: async () => void (await pool.query(SCHEMA)) },
    place: async (run, lines) => {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const id = await placeOrder(client, run, lines)
        await client.query('COMMIT')
        return id
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    ship: async (id) => void (await pool.query(SHIP, [id])),
    unshipped: async (run) => (await pool.query<{ id: number }>(UNSHIPPED, [run])).rows.map((row) => row.id),
    audit: (run) => audit(pool, run),
  }
}

export function openDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL
  return url ? postgres(url) : embedded()
}
