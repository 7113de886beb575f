/**
 * `graceful-lifecycle/bullmq`: a BullMQ `Worker` as a lifecycle component. On stop it takes no new
 * job, lets the jobs in flight finish, and closes its Redis connections.
 *
 * @module
 */

import { DEFAULTS } from '../../core/defaults.js'
import type { Component } from '../../core/types.js'
import {
  type AdapterOptions,
  checkShape,
  componentBase,
  listenOrUndo,
  raceAbort,
  resolveAdapterOptions,
} from '../common.js'

/** A job as the worker's events carry it. */
export interface BullmqJobLike {
  readonly id?: string | undefined
}

/** What the adapter uses of a BullMQ `Worker`. */
export interface BullmqWorkerLike {
  close(force?: boolean): Promise<void>
  /** Not called; it tells a `Worker` from a `Queue` (which has `close()` and `on()` too). */
  isRunning(): boolean
  /** Drops the worker's Redis connections at once. */
  disconnect?(): Promise<void>
  on?(event: 'active' | 'completed', listener: (job: BullmqJobLike) => void): unknown
  on?(event: 'failed', listener: (job: BullmqJobLike | undefined, error: Error) => void): unknown
  off?(event: 'active' | 'completed', listener: (job: BullmqJobLike) => void): unknown
  off?(event: 'failed', listener: (job: BullmqJobLike | undefined, error: Error) => void): unknown
}

/** Options of {@link bullmqWorker}. */
export interface BullmqWorkerOptions extends AdapterOptions {}

/**
 * Stops a BullMQ `Worker` at `Priority.WORKERS`: `worker.close()` stops fetching jobs, waits for
 * the active ones to finish, and closes the worker's connections. When the hook's signal aborts
 * first, `worker.disconnect()` drops its Redis connections at once: the jobs still active are not
 * lost, their locks lapse and BullMQ's stalled-job check hands them to another worker (at least
 * once: make the processor idempotent).
 *
 * Report `details`: `inFlight` (jobs active when the stop began), `completed` and `failed` (jobs
 * that ended during the stop), `forced` (`true` when the abort forced the close). The counts come
 * from the worker's events, listened to from `register()` on: register it right after
 * `new Worker()`, before it takes jobs.
 *
 * @example
 * ```ts
 * import { Worker } from 'bullmq'
 * import { bullmqWorker } from 'graceful-lifecycle/bullmq'
 *
 * const worker = new Worker('emails', sendEmail, { connection: { host: '127.0.0.1' } })
 * lifecycle.register(bullmqWorker(worker, { timeout: 20_000 }))
 * ```
 */
export function bullmqWorker(worker: BullmqWorkerLike, options?: BullmqWorkerOptions): Component {
  checkShape('bullmqWorker()', 'worker', 'a BullMQ Worker', worker, ['close', 'on', 'isRunning'])
  const resolved = resolveAdapterOptions('bullmqWorker()', options, DEFAULTS.adapters.bullmq)
  // The Worker exposes no count of its active jobs: keep one from its events.
  const active = new Set<unknown>()
  const key = (job: BullmqJobLike): unknown => job.id ?? job
  let stopping: Record<string, unknown> | undefined
  const ended = (outcome: 'completed' | 'failed', job: BullmqJobLike | undefined): void => {
    if (job === undefined || !active.delete(key(job))) return
    if (stopping) stopping[outcome] = ((stopping[outcome] as number | undefined) ?? 0) + 1
  }
  const onActive = (job: BullmqJobLike): void => void active.add(key(job))
  const onCompleted = (job: BullmqJobLike): void => ended('completed', job)
  const onFailed = (job: BullmqJobLike | undefined): void => ended('failed', job)

  const component: Component = {
    ...componentBase(resolved),
    async stop({ signal, details }) {
      stopping = details
      details.inFlight = active.size
      details.completed = 0
      details.failed = 0
      await raceAbort(
        signal,
        () => worker.close(),
        () => {
          details.forced = true
          // `close()` is already under way and BullMQ ignores a second `close(true)`: drop the
          // connections instead, so nothing of the worker holds the process.
          worker.disconnect?.().catch(() => {})
        },
      )
    },
  }
  // The listeners go on the worker only once `register()` accepted the component (or a copy of it).
  return {
    ...component,
    attach: () =>
      listenOrUndo(
        () => {
          worker.on?.('active', onActive)
          worker.on?.('completed', onCompleted)
          worker.on?.('failed', onFailed)
        },
        () => {
          worker.off?.('active', onActive)
          worker.off?.('completed', onCompleted)
          worker.off?.('failed', onFailed)
        },
      ),
  }
}
