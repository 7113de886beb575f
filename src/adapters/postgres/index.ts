/**
 * `graceful-lifecycle/postgres`: a postgres.js (`postgres`) instance as a lifecycle component. On
 * stop, `sql.end()` lets the queries in flight and queued (transactions included) finish, then
 * closes every connection; what is still running when the budget ends is destroyed.
 *
 * @module
 */
import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  elapsed,
  raceAbort,
  resolveAdapterOptions,
} from '../common.js'

/** What the adapter uses of a postgres.js `sql` (what `postgres(url)` returns). */
export interface PostgresSqlLike {
  /** Ends the connections after the queries pending; destroys them after `timeout` seconds. */
  end(options?: { timeout?: number | undefined }): Promise<void>
  // Not called; they tell a postgres.js `sql` from other clients that have an `end()` (a pg Pool).
  begin(...args: never[]): unknown
  unsafe(...args: never[]): unknown
}

const DESTROY_AFTER_ABORT_MS = 50

/**
 * postgres.js (3.4) resolves `end()` once the connections it had closed, but a query queued
 * behind busy connections then reopens one (its `onclose` takes the next queued query), runs,
 * and leaves that connection open for good: the process never exits. Its `close()` (untyped)
 * ends the connections again, waiting for their queries; repeat until one returns at once.
 */
async function closeReopened(sql: PostgresSqlLike, signal: AbortSignal): Promise<void> {
  const close = (sql as { close?: unknown }).close
  if (typeof close !== 'function') return
  while (!signal.aborted) {
    const since = performance.now()
    await (close as () => Promise<void>).call(sql)
    if (performance.now() - since < 1) return
  }
}

/** Options of {@link postgresSql}. */
export interface PostgresSqlOptions extends AdapterOptions {}

/**
 * Stops a postgres.js `sql` at `Priority.RESOURCES` (after the servers and workers that query
 * it) with `sql.end({ timeout })`, `timeout` being what is left of the hook's budget (plus 50 ms): new queries
 * are refused at once (`CONNECTION_ENDED`), the queries running and queued, and open transactions,
 * finish, then the connections close. When the budget ends first, postgres.js destroys the
 * connections (queries still running reject with `CONNECTION_DESTROYED`; PostgreSQL rolls back
 * their transactions). postgres.js cannot be forced before that moment: a `forceStop()` ends the
 * hook at once, and the connections are destroyed when its budget would have ended.
 *
 * Report `details`: `ended` (`true` when every connection closed within the budget), `waitedMs`,
 * `timeoutS` (the timeout given to `sql.end()`).
 *
 * @example
 * ```ts
 * import postgres from 'postgres'
 * import { postgresSql } from 'graceful-lifecycle/postgres'
 *
 * const sql = postgres(process.env.DATABASE_URL)
 * lifecycle.register(postgresSql(sql, { timeout: 5_000 }))
 * ```
 */
export function postgresSql(sql: PostgresSqlLike, options?: PostgresSqlOptions): Component {
  checkShape('postgresSql()', 'sql', 'a postgres.js sql (what `postgres()` returns)', sql, [
    'end',
    'begin',
    'unsafe',
  ])
  const resolved = resolveAdapterOptions('postgresSql()', options, DEFAULTS.adapters.postgres)
  return {
    ...componentBase(resolved),
    async stop({ signal, deadline, details }) {
      const since = performance.now()
      // Seconds, as postgres.js wants them; its own timer then destroys what outlives the budget,
      // just after the hook's abort, so that a destroy is never mistaken for a clean end.
      const remaining = deadline - Date.now() + DESTROY_AFTER_ABORT_MS
      const timeout = Number.isFinite(remaining) ? Math.max(0, Math.round(remaining) / 1000) : undefined
      if (timeout !== undefined) details.timeoutS = timeout
      details.ended = false
      details.ended = await raceAbort(signal, async () => {
        await sql.end(timeout === undefined ? {} : { timeout })
        await closeReopened(sql, signal)
      })
      details.waitedMs = elapsed(since)
    },
  }
}
