/**
 * The database both programs use: an embedded PostgreSQL (PGlite) in `DATA_DIR`. An order is a
 * row in `orders` plus `LINES` rows in `order_lines`; `pending` holds order numbers handed back
 * by a graceful stop, to be written at the next start.
 */
import { PGlite } from '@electric-sql/pglite'

export const ORDERS = 300
export const LINES = 5

export async function openStore(dir: string): Promise<PGlite> {
  const db = new PGlite(dir)
  await db.exec(`
    CREATE TABLE IF NOT EXISTS orders (n int PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS order_lines (n int NOT NULL, line int NOT NULL, PRIMARY KEY (n, line));
    CREATE TABLE IF NOT EXISTS pending (n int PRIMARY KEY);
  `)
  return db
}

export interface Counts {
  /** Orders with every line. */
  readonly whole: number
  /** Orders with some of their lines, or lines without their order: dirty data. */
  readonly halfWritten: number
  /** Orders handed back by the stop, saved to be written later. */
  readonly pending: number
  /** Orders that are nowhere: neither written nor saved. */
  readonly missing: number
}

export async function count(db: PGlite): Promise<Counts> {
  const { rows } = await db.query<{ n: number; lines: number }>(`
    SELECT n, count(line)::int AS lines FROM orders FULL JOIN order_lines USING (n) GROUP BY n
  `)
  const whole = rows.filter((row) => row.lines === LINES).length
  const halfWritten = rows.length - whole
  const pending = (await db.query<{ c: number }>('SELECT count(*)::int AS c FROM pending')).rows[0]?.c ?? 0
  return { whole, halfWritten, pending, missing: ORDERS - whole - halfWritten - pending }
}
