import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { fail, isThenable } from '../../core/validate.js'
import { type AdapterOptions, checkShape, componentBase, resolveAdapterOptions } from '../common.js'
import { corePool, pollIntervalOf, stopPools } from './internals.js'

/** What the adapter uses of a `mysql2` pool: `createPool()` or `createPool().promise()`. */
export interface MysqlPoolLike {
  /** The callback API takes a callback; the promise API returns a promise. */
  end(callback?: (error?: unknown) => void): unknown
  // Not called; they tell a mysql2 pool from other clients with an `end()` (a pg Pool, a cluster).
  getConnection(...args: never[]): unknown
  releaseConnection(connection: never): unknown
}

/** Options of {@link mysqlPool} (and, as `MysqlPoolClusterOptions`, of `mysqlPoolCluster()`). */
export interface MysqlPoolOptions extends AdapterOptions {
  /** How often to look at the pool's connections while waiting, in ms. @default 10 */
  readonly pollInterval?: number
}

/** @internal Ends a callback or promise `mysql2` pool (or cluster), as a promise. */
export function endOf(target: { end(callback?: (error?: unknown) => void): unknown }): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      const result = target.end((error) => (error ? reject(error) : resolve()))
      if (isThenable(result)) result.then(() => resolve(), reject)
    })
}

/**
 * Stops a `mysql2` pool at `Priority.RESOURCES`: waits until no connection is checked out and no
 * caller waits for one (`end()` alone fails queued callers with "Pool is closed." and quits
 * connections between the statements of a transaction), then calls `pool.end()`. When the hook's
 * signal aborts, the connections still checked out are destroyed (the server rolls back their
 * open transactions) and the pool is ended.
 *
 * Report `details`: `inFlight` (connections checked out + callers queued when the stop began),
 * `waitedMs`, `closed` (connections the pool held when it was ended), `terminated` (connections
 * destroyed at the abort).
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise'
 * import { mysqlPool } from 'graceful-lifecycle/mysql'
 *
 * const pool = mysql.createPool({ host: '127.0.0.1', user: 'root', database: 'test' })
 * lifecycle.register(mysqlPool(pool, { timeout: 5_000 }))
 * ```
 */
export function mysqlPool(pool: MysqlPoolLike, options?: MysqlPoolOptions): Component {
  checkShape('mysqlPool()', 'pool', 'a mysql2 pool', pool, ['end'])
  const core = corePool(pool)
  if (core === undefined) {
    fail(
      '`mysqlPool()`',
      'pool',
      'a mysql2 pool (from `createPool()`, or its `.promise()`; it keeps `_allConnections`, `_freeConnections` and `_connectionQueue`; for a `createPoolCluster()`, use `mysqlPoolCluster()`)',
      pool,
    )
  }
  const resolved = resolveAdapterOptions('mysqlPool()', options, DEFAULTS.adapters.mysql, ['pollInterval'])
  const stop = stopPools(() => [core], endOf(pool), pollIntervalOf('mysqlPool()', resolved.options))
  return {
    ...componentBase(resolved),
    async stop(context) {
      if (core._closed === true) {
        context.details.alreadyEnded = true
        return
      }
      await stop(context)
    },
  }
}
