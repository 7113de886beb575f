import { DEFAULTS } from '../../core/defaults.js'
import type { StopContext } from '../../core/types.js'
import { checkDuration } from '../../core/validate.js'
import { elapsed, waitUntil } from '../common.js'

/** @internal A `mysql2` ring queue or a `mysql` array. */
export interface QueueLike {
  readonly length: number
  toArray?(): unknown[]
}

/**
 * @internal The pool's own bookkeeping. `mysql2` (and `mysql`) expose no public counters, so the adapter
 * reads these fields, checked at the call: a pool without them is refused rather than ended blind.
 */
export interface CorePool {
  readonly _allConnections: QueueLike
  readonly _freeConnections: QueueLike
  readonly _connectionQueue: QueueLike
  readonly _closed?: boolean
}

/** @internal */
export function isQueue(value: unknown): value is QueueLike {
  return value !== null && typeof value === 'object' && typeof (value as QueueLike).length === 'number'
}

/** @internal */
export function corePool(pool: object): CorePool | undefined {
  // The promise API wraps the callback pool in `.pool`.
  for (const candidate of [pool, (pool as { pool?: unknown }).pool]) {
    const c = candidate as Partial<CorePool> | undefined
    if (isQueue(c?._allConnections) && isQueue(c._freeConnections) && isQueue(c._connectionQueue)) {
      return c as CorePool
    }
  }
  return undefined
}

/** @internal */
export function items(queue: QueueLike): unknown[] {
  if (Array.isArray(queue)) return queue
  return queue.toArray?.() ?? []
}

/** @internal The `pollInterval` option of the mysql adapters, checked. */
export function pollIntervalOf(fn: string, options: { readonly pollInterval?: number } | undefined): number {
  const pollInterval = options?.pollInterval ?? DEFAULTS.adapters.mysql.pollInterval
  checkDuration(`\`${fn}\``, 'options.pollInterval', pollInterval)
  return pollInterval
}

/**
 * @internal The stop of a mysql adapter over one pool or several (a cluster's): waits until no
 * connection is checked out and no caller waits, then `end()`s; at the abort, destroys the
 * connections still checked out.
 */
export function stopPools(
  pools: () => readonly CorePool[],
  end: () => Promise<void>,
  pollInterval: number,
): (context: StopContext) => Promise<void> {
  const sum = (count: (pool: CorePool) => number): number =>
    pools().reduce((total, pool) => total + count(pool), 0)
  const busy = (): number =>
    sum((pool) => pool._allConnections.length - pool._freeConnections.length + pool._connectionQueue.length)
  return async ({ signal, details }) => {
    const since = performance.now()
    details.inFlight = busy()
    const onAbort = (): void => {
      const checkedOut = pools().flatMap((pool) => {
        const free = new Set(items(pool._freeConnections))
        return items(pool._allConnections).filter((connection) => !free.has(connection))
      })
      details.terminated = checkedOut.length
      for (const connection of checkedOut) (connection as { destroy?: () => void }).destroy?.()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      await waitUntil(() => busy() === 0, signal, pollInterval)
      details.waitedMs = elapsed(since)
      details.closed = sum((pool) => pool._allConnections.length)
      await end()
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }
}
