/**
 * `graceful-lifecycle/pg`: a PostgreSQL `pg` Pool as a lifecycle component. On stop it waits for
 * the queries in flight (clients checked out and callers queued for one), then ends the pool.
 *
 * @module
 */

import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import { checkDuration } from '../../core/validate.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  elapsed,
  listenOrUndo,
  resolveAdapterOptions,
  waitUntil,
} from '../common.js'

/** What the adapter uses of a `pg` Pool (`pg-pool`). */
export interface PgPoolLike {
  readonly totalCount: number
  readonly idleCount: number
  readonly waitingCount: number
  /** `pg` sets it once `end()` was called. */
  readonly ending?: boolean
  readonly ended?: boolean
  end(): Promise<void>
  on?(event: 'acquire' | 'remove', listener: (client: PgClientLike) => void): unknown
  on?(event: 'release', listener: (error: unknown, client: PgClientLike) => void): unknown
  removeListener?(event: 'acquire' | 'remove', listener: (client: PgClientLike) => void): unknown
  removeListener?(event: 'release', listener: (error: unknown, client: PgClientLike) => void): unknown
}

/** What the adapter uses of a checked-out `pg` Client, when the stop's budget runs out. */
export interface PgClientLike {
  end?(): unknown
}

/** Options of {@link pgPool}. */
export interface PgPoolOptions extends AdapterOptions {
  /** How often to look at the pool's counters while waiting, in ms. @default 10 */
  readonly pollInterval?: number
}

/**
 * Stops a `pg` Pool at `Priority.RESOURCES` (after the servers and workers that query it):
 * waits until no client is checked out and no caller waits for one (`end()` alone would leave
 * queued callers hanging forever), then calls `pool.end()`. When the hook's signal aborts, the
 * clients still checked out are ended (PostgreSQL rolls back their open transactions) and the
 * pool is ended.
 *
 * Report `details`: `inFlight` (clients checked out + callers queued when the stop began),
 * `waitedMs`, `closed` (clients the pool held when it was ended), `terminated` (clients ended
 * at the abort). The adapter listens to the pool's `acquire`/`release`/`remove` events from
 * `register()` on: register it before the pool is used.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import { pgPool } from 'graceful-lifecycle/pg'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * lifecycle.register(pgPool(pool, { timeout: 5_000 }))
 * ```
 */
export function pgPool(pool: PgPoolLike, options?: PgPoolOptions): Component {
  checkShape('pgPool()', 'pool', 'a pg Pool', pool, ['end'], ['totalCount', 'idleCount', 'waitingCount'])
  const resolved = resolveAdapterOptions('pgPool()', options, DEFAULTS.adapters.pg, ['pollInterval'])
  options = resolved.options
  const pollInterval = options?.pollInterval ?? DEFAULTS.adapters.pg.pollInterval
  checkDuration('`pgPool()`', 'options.pollInterval', pollInterval)

  // Checked-out clients, so that an abort can end them: the pool's counters alone cannot.
  const checkedOut = new Set<PgClientLike>()
  const onAcquire = (client: PgClientLike): void => void checkedOut.add(client)
  const onRelease = (_error: unknown, client: PgClientLike): void => void checkedOut.delete(client)
  const onRemove = (client: PgClientLike): void => void checkedOut.delete(client)

  const busy = (): number => pool.totalCount - pool.idleCount + pool.waitingCount
  const component: Component = {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      if (pool.ended === true || pool.ending === true) {
        details.alreadyEnded = true
        return
      }
      const since = performance.now()
      details.inFlight = busy()
      const onAbort = (): void => {
        details.terminated = checkedOut.size
        // `pg` destroys the socket of a client with a query running; the server rolls back.
        for (const client of checkedOut) Promise.resolve(client.end?.()).catch(() => {})
      }
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        await waitUntil(() => busy() === 0, signal, pollInterval)
        details.waitedMs = elapsed(since)
        details.closed = pool.totalCount
        await pool.end()
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
  // The listeners go on the pool only once `register()` accepted the component (or a copy of it).
  return {
    ...component,
    attach: () =>
      listenOrUndo(
        () => {
          pool.on?.('acquire', onAcquire)
          pool.on?.('release', onRelease)
          pool.on?.('remove', onRemove)
        },
        () => {
          pool.removeListener?.('acquire', onAcquire)
          pool.removeListener?.('release', onRelease)
          pool.removeListener?.('remove', onRemove)
        },
      ),
  }
}
