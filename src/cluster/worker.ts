import cluster from 'node:cluster'
import { InvalidStateError } from '../core/errors.js'
import type { Lifecycle } from '../core/lifecycle.js'
import type { ShutdownReport } from '../core/types.js'
import { checkFunction, checkKeys, fail, readOptions, whileReading } from '../core/validate.js'
import { isMessage, KEY, type StopMessage } from './messages.js'

/** Options of {@link clusterWorker}. */
export interface ClusterWorkerOptions {
  /** Ends the worker once its report is sent. @default (code) => process.exit(code) */
  readonly exit?: (code: number) => void
}

const WHERE = '`clusterWorker()`'

/**
 * The worker's side of {@link clusterPrimary}: tells the primary when `lifecycle` has started,
 * stops it when the primary says so (a reload, or the primary's own stop), sends the primary its
 * report, and exits with 0 when the stop was clean, 1 otherwise. Returns a function that removes
 * its listeners.
 *
 * @example
 * ```ts
 * // worker side of server.ts
 * const lifecycle = new Lifecycle()
 * lifecycle.register(drainDelay(1_000))
 * lifecycle.register(httpServer(server))
 * clusterWorker(lifecycle)
 * await lifecycle.start()
 * server.listen(3000)
 * ```
 */
export function clusterWorker(lifecycle: Lifecycle, options?: ClusterWorkerOptions): () => void {
  if (
    !whileReading(
      WHERE,
      'lifecycle',
      () => lifecycle !== null && typeof lifecycle === 'object' && typeof lifecycle.stop === 'function',
    )
  ) {
    fail(WHERE, 'lifecycle', 'a `Lifecycle`', lifecycle)
  }
  if (options !== undefined) {
    options = readOptions(WHERE, 'options', options, ['exit'])
    checkKeys(WHERE, 'options', options, ['exit'])
    if (options.exit !== undefined) checkFunction(WHERE, 'exit', options.exit)
  }
  const send = process.send?.bind(process)
  if (send === undefined || !cluster.isWorker) {
    throw new InvalidStateError(
      '`clusterWorker()` runs in a `node:cluster` worker (this process was not forked by one)',
    )
  }
  const exit = options?.exit ?? ((code: number) => process.exit(code))
  const onStarted = (): void => {
    send({ [KEY]: 'started' })
  }
  const onMessage = (message: unknown): void => {
    if (!isMessage(message, 'stop')) return
    const { signal } = message as StopMessage
    void lifecycle.stop({ type: 'signal', signal }).then(
      (report) => finish(report),
      (error: unknown) => finish((error as { report?: ShutdownReport }).report),
    )
  }
  const finish = (report: ShutdownReport | undefined): void => {
    const code = report?.ok === true ? 0 : 1
    if (report === undefined) {
      exit(code)
      return
    }
    send({ [KEY]: 'report', report: report.toJSON() }, undefined, undefined, () => exit(code))
  }
  if (lifecycle.state === 'running') onStarted()
  else lifecycle.once('started', onStarted)
  process.on('message', onMessage)
  return () => {
    lifecycle.off('started', onStarted)
    process.off('message', onMessage)
  }
}
