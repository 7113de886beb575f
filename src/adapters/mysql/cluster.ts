import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { fail } from '../../core/validate.js'
import { checkShape, componentBase, resolveAdapterOptions } from '../common.js'
import { type CorePool, corePool, pollIntervalOf, stopPools } from './internals.js'
import { endOf, type MysqlPoolOptions } from './pool.js'

/** Options of {@link mysqlPoolCluster}: those of `mysqlPool()`. */
export type MysqlPoolClusterOptions = MysqlPoolOptions

/** What the adapter uses of a `mysql2` `PoolCluster`: `createPoolCluster()` or its promise API. */
export interface MysqlPoolClusterLike {
  /** The callback API takes a callback; the promise API returns a promise. */
  end(callback?: (error?: unknown) => void): unknown
  // Not called; they tell a cluster from a pool.
  add(...args: never[]): unknown
  of(pattern: string, selector?: string): unknown
}

/** The cluster's own bookkeeping: its pools by node id (no public accessor exists). */
interface CoreCluster {
  readonly _nodes: Record<string, { readonly pool: unknown }>
  readonly _closed?: boolean
}

function coreCluster(cluster: object): CoreCluster | undefined {
  // The promise API wraps the callback cluster in `.poolCluster`.
  for (const candidate of [cluster, (cluster as { poolCluster?: unknown }).poolCluster]) {
    const nodes = (candidate as Partial<CoreCluster> | undefined)?._nodes
    if (nodes !== null && typeof nodes === 'object') return candidate as CoreCluster
  }
  return undefined
}

/**
 * Stops a `mysql2` `PoolCluster` at `Priority.RESOURCES`, the way {@link mysqlPool} stops one
 * pool: waits until no connection of any of its pools is checked out and no caller waits for one,
 * then calls `cluster.end()` (which ends every pool). When the hook's signal aborts, the
 * connections still checked out are destroyed and the cluster is ended. The pools are looked up
 * when the stop runs: nodes added after this call are included.
 *
 * Report `details`: `pools` (its nodes when the stop began), `inFlight`, `waitedMs`, `closed`,
 * `terminated`, summed over the pools.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise'
 * import { mysqlPoolCluster } from 'graceful-lifecycle/mysql'
 *
 * const cluster = mysql.createPoolCluster()
 * cluster.add('primary', { host: 'db-1', user: 'app', database: 'shop' })
 * cluster.add('replica', { host: 'db-2', user: 'app', database: 'shop' })
 * lifecycle.register(mysqlPoolCluster(cluster, { timeout: 5_000 }))
 * ```
 */
export function mysqlPoolCluster(
  cluster: MysqlPoolClusterLike,
  options?: MysqlPoolClusterOptions,
): Component {
  checkShape('mysqlPoolCluster()', 'cluster', 'a mysql2 PoolCluster', cluster, ['end', 'add', 'of'])
  const core = coreCluster(cluster)
  if (core === undefined) {
    fail(
      '`mysqlPoolCluster()`',
      'cluster',
      'a mysql2 PoolCluster (from `createPoolCluster()`, callback or promise API; it keeps `_nodes`)',
      cluster,
    )
  }
  const resolved = resolveAdapterOptions('mysqlPoolCluster()', options, DEFAULTS.adapters.mysql, [
    'pollInterval',
  ])
  const pools = (): CorePool[] =>
    Object.values(core._nodes).flatMap((node) => {
      const pool = node.pool !== null && typeof node.pool === 'object' ? corePool(node.pool) : undefined
      return pool === undefined ? [] : [pool]
    })
  const stop = stopPools(pools, endOf(cluster), pollIntervalOf('mysqlPoolCluster()', resolved.options))
  return {
    ...componentBase(resolved),
    async stop(context) {
      if (core._closed === true) {
        context.details.alreadyEnded = true
        return
      }
      context.details.pools = pools().length
      await stop(context)
    },
  }
}
