/**
 * `graceful-lifecycle/workers`: background loops and queue consumers that stop without losing
 * anything. `worker()` runs a loop with an `AbortSignal` and waits for it on stop; `consumer()`
 * stops taking items, finishes those in flight and hands the rest back to their source.
 * Both return components for `lifecycle.register()`, at `Priority.WORKERS` unless told otherwise.
 *
 * @example
 * ```ts
 * import { Lifecycle } from 'graceful-lifecycle'
 * import { consumer, worker } from 'graceful-lifecycle/workers'
 *
 * const lifecycle = new Lifecycle()
 * lifecycle.register(worker(async function ticker({ signal }) { while (!signal.aborted) await tick(signal) }))
 * lifecycle.register(consumer(source, runJob, { name: 'jobs', concurrency: 8 }))
 * ```
 *
 * @module
 */
export type { Consumer } from './consumer.js'
export type {
  ConsumerDrain,
  ConsumerOptions,
  ConsumerSource,
  ConsumerStats,
  HandlerContext,
  ItemHandler,
  PullSource,
  PushSource,
  SourceCallbacks,
} from './consumer-types.js'
export { consumer } from './create-consumer.js'
export type { CommonOptions, CrashPolicy } from './options.js'
export {
  type WorkerComponent,
  type WorkerContext,
  type WorkerLoop,
  type WorkerOptions,
  worker,
} from './worker.js'
