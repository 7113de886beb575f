/**
 * `graceful-lifecycle/mysql`: a MySQL/MariaDB `mysql2` pool (promise or callback API) as a
 * lifecycle component. On stop it waits for the queries in flight, then ends the pool.
 *
 * @module
 */
import { Priority } from '../../core/priority.js'
import type { Component } from '../../core/types.js'
import { checkDuration, fail, isThenable } from '../../core/validate.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  elapsed,
  resolveAdapterOptions,
  waitUntil,
} from '../common.js'

/** What the adapter uses of a `mysql2` pool: `createPool()` or `createPool().promise()`. */
export interface MysqlPoolLike {
  /** The callback API takes a callback; the promise API returns a promise. */
  end(callback?: (error?: unknown) => void): unknown
}

/** Options of {@link mysqlPool}. */
export interface MysqlPoolOptions extends AdapterOptions {
  /** How often to look at the pool's connections while waiting, in ms. @default 10 */
  readonly pollInterval?: number
}

/** A `mysql2` ring queue or a `mysql` array. */
interface QueueLike {
  readonly length: number
  toArray?(): unknown[]
}

/**
 * The pool's own bookkeeping. `mysql2` (and `mysql`) expose no public counters, so the adapter
 * reads these fields, checked at the call: a pool without them is refused rather than ended blind.
 */
interface CorePool {
  readonly _allConnections: QueueLike
  readonly _freeConnections: QueueLike
  readonly _connectionQueue: QueueLike
  readonly _closed?: boolean
}

function isQueue(value: unknown): value is QueueLike {
  return value !== null && typeof value === 'object' && typeof (value as QueueLike).length === 'number'
}

function corePool(pool: object): CorePool | undefined {
  // The promise API wraps the callback pool in `.pool`.
  for (const candidate of [pool, (pool as { pool?: unknown }).pool]) {
    const c = candidate as Partial<CorePool> | undefined
    if (isQueue(c?._allConnections) && isQueue(c._freeConnections) && isQueue(c._connectionQueue)) {
      return c as CorePool
    }
  }
  return undefined
}

function items(queue: QueueLike): unknown[] {
  if (Array.isArray(queue)) return queue
  return queue.toArray?.() ?? []
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
      'a mysql2 pool (from `createPool()`, or its `.promise()`; it keeps `_allConnections`, `_freeConnections` and `_connectionQueue`)',
      pool,
    )
  }
  const resolved = resolveAdapterOptions(
    'mysqlPool()',
    options,
    { name: 'mysql', priority: Priority.RESOURCES },
    ['pollInterval'],
  )
  const pollInterval = options?.pollInterval ?? 10
  checkDuration('`mysqlPool()`', 'options.pollInterval', pollInterval)

  const busy = (): number =>
    core._allConnections.length - core._freeConnections.length + core._connectionQueue.length
  const end = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const result = pool.end((error) => (error ? reject(error) : resolve()))
      if (isThenable(result)) result.then(() => resolve(), reject)
    })

  return {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      if (core._closed === true) {
        details.alreadyEnded = true
        return
      }
      const since = performance.now()
      details.inFlight = busy()
      const onAbort = (): void => {
        const free = new Set(items(core._freeConnections))
        const checkedOut = items(core._allConnections).filter((connection) => !free.has(connection))
        details.terminated = checkedOut.length
        for (const connection of checkedOut) (connection as { destroy?: () => void }).destroy?.()
      }
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        await waitUntil(() => busy() === 0, signal, pollInterval)
        details.waitedMs = elapsed(since)
        details.closed = core._allConnections.length
        await end()
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
}
