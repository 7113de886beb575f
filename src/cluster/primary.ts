import cluster, { type Worker } from 'node:cluster'
import { constants } from 'node:os'
import { DEFAULTS } from '../core/defaults.js'
import { ClusterWorkerError, InvalidStateError, NonErrorThrownError } from '../core/errors.js'
import { errorMessage, isError } from '../core/foreign.js'
import type { AttachContext, Component, StopContext } from '../core/types.js'
import { readAttachContext } from '../core/validate-component.js'
import { isMessage } from './messages.js'
import { type ClusterPrimaryOptions, resolve } from './options.js'
import { describe, stopWorker, type WorkerStop } from './stops.js'

/** What a reload did. */
export interface ReloadResult {
  /** Every worker was replaced by a ready one and stopped cleanly. */
  readonly ok: boolean
  readonly replaced: readonly WorkerStop[]
  /** Why the reload stopped early (a new worker that never became ready): the old ones are kept. */
  readonly error?: Error
  /** Ids of the old workers killed because their stop outlived `reloadTimeout` (the reload went on). */
  readonly timedOut: readonly number[]
}

/** The component {@link clusterPrimary} returns. */
export interface ClusterPrimary extends Component {
  /** Restarts the workers one at a time: a new one ready, then an old one stopped, then the next. */
  reload(): Promise<ReloadResult>
  /** The workers serving now. */
  readonly workers: readonly Worker[]
  /** The stops of the last reload or stop, each worker's report included. */
  readonly lastStops: readonly WorkerStop[]
}

const PREFIX = 'graceful-lifecycle: cluster:'

/**
 * A component for the primary of a `node:cluster` service (the seeds' graceful restart, 优雅重启).
 * Its start forks `workers` workers and waits until each is ready: its lifecycle started
 * ({@link clusterWorker} says so) and its server listening. `reload()` — and the `reloadOn`
 * signal, SIGHUP by default — replaces them one at a time: a new worker ready, then an old one's
 * lifecycle stopped (it drains, sends its report, exits), then the next; the shared port never
 * lacks a listener. Its stop (the primary's SIGTERM, through `handleSignals()`) stops every worker
 * at once within its budget and kills what outlives it; the primary's report then holds each
 * worker's stop in this hook's `details`, one line per worker: one combined report.
 *
 * @example
 * ```ts
 * import cluster from 'node:cluster'
 * if (cluster.isPrimary) {
 *   const lifecycle = new Lifecycle({ timeout: 25_000 })
 *   lifecycle.register(clusterPrimary({ workers: 4, timeout: 20_000 }))
 *   lifecycle.handleSignals()
 *   await lifecycle.start() // kill -HUP <pid> reloads them one by one
 * } else {
 *   // the worker: its own lifecycle, httpServer(), then clusterWorker(lifecycle)
 * }
 * ```
 */
export function clusterPrimary(options?: ClusterPrimaryOptions): ClusterPrimary {
  const settings = resolve(options)
  if (!cluster.isPrimary) {
    throw new InvalidStateError(
      '`clusterPrimary()` runs in the primary process (this one is a cluster worker)',
    )
  }
  const serving = new Set<Worker>()
  let lastStops: WorkerStop[] = []
  let stopping = false
  let reloading: Promise<ReloadResult> | undefined
  let reloadAgain = false
  let starting = false
  const log = (level: 'info' | 'warn', message: string): void => {
    if (settings.logger) settings.logger[level](`${PREFIX} ${message}`)
  }

  const fork = (): Promise<Worker> => {
    const worker = cluster.fork(settings.env)
    return new Promise((resolve, reject) => {
      let started = false
      let listening = !settings.listening
      const cleanup = (): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('listening', onListening)
        worker.off('exit', onExit)
      }
      const check = (): void => {
        if (!started || !listening) return
        cleanup()
        watch(worker)
        resolve(worker)
      }
      const onMessage = (message: unknown): void => {
        if (isMessage(message, 'started')) {
          started = true
          check()
        }
      }
      const onListening = (): void => {
        listening = true
        check()
      }
      const onExit = (code: number | null, signal: string | null): void => {
        cleanup()
        reject(
          new ClusterWorkerError(
            [worker.id],
            `worker ${worker.id} exited (${code ?? signal}) before it was ready`,
          ),
        )
      }
      const timer = setTimeout(() => {
        cleanup()
        worker.process.kill('SIGKILL')
        reject(
          new ClusterWorkerError(
            [worker.id],
            `worker ${worker.id} was not ready within ${settings.readyTimeout} ms (its lifecycle started and its server listening)`,
          ),
        )
      }, settings.readyTimeout)
      worker.on('message', onMessage)
      worker.on('listening', onListening)
      worker.on('exit', onExit)
    })
  }

  // A worker that exits while it serves (a crash) is replaced, after a pause.
  const watch = (worker: Worker): void => {
    serving.add(worker)
    worker.once('exit', (code, signal) => {
      if (!serving.delete(worker) || stopping || !settings.respawn) return
      log('warn', `worker ${worker.id} exited (${code ?? signal}) on its own; replacing it`)
      setTimeout(() => {
        if (stopping) return
        fork().catch((error: unknown) => log('warn', `its replacement failed: ${errorMessage(error, false)}`))
      }, DEFAULTS.cluster.respawnDelay).unref()
    })
  }

  const runReload = async (): Promise<ReloadResult> => {
    const replaced: WorkerStop[] = []
    const timedOut: number[] = []
    log('info', `reloading ${serving.size} workers one at a time`)
    for (const old of [...serving]) {
      if (stopping) break
      try {
        await fork()
      } catch (error) {
        const failure = isError(error) ? error : new NonErrorThrownError('cluster.fork()', error)
        log('warn', `reload stopped: ${errorMessage(failure, false)}; the old workers keep serving`)
        lastStops = replaced
        return { ok: false, replaced, error: failure, timedOut }
      }
      // A worker that never exits must not stall the reload until a stop comes: it is killed.
      const budget = AbortSignal.timeout(settings.reloadTimeout)
      const stop = await stopWorker(serving, old, settings.reloadOn || 'SIGHUP', budget)
      if (budget.aborted && stop.exitCode === null) {
        timedOut.push(stop.id)
        log(
          'warn',
          `worker ${stop.id} did not stop within ${settings.reloadTimeout} ms (\`reloadTimeout\`): killed`,
        )
      }
      replaced.push(stop)
    }
    lastStops = replaced
    const ok = replaced.every((stop) => stop.exitCode === 0 && stop.report?.ok === true)
    log(ok ? 'info' : 'warn', `reloaded: ${replaced.map(describe).join('; ')}`)
    return { ok, replaced, timedOut }
  }

  const reload = (): Promise<ReloadResult> => {
    if (stopping) return Promise.reject(new InvalidStateError('Cannot reload: the cluster is stopping'))
    if (serving.size === 0)
      return Promise.reject(new InvalidStateError('Cannot reload: the cluster has not started'))
    if (reloading) {
      // A reload asked for during one runs once after it, with the newest code.
      reloadAgain = true
      return reloading
    }
    reloading = runReload().finally(() => {
      reloading = undefined
      if (reloadAgain && !stopping) {
        reloadAgain = false
        void reload()
      }
    })
    return reloading
  }

  // Installed from registration on: without a listener, the signal's default action (SIGHUP:
  // terminate) would kill the primary before its workers are ready, or in the middle of its stop.
  const onReloadSignal = (): void => {
    const signal = settings.reloadOn
    if (stopping) log('info', `${signal} during the stop: ignored`)
    else if (starting || serving.size === 0) log('info', `${signal} before the workers are ready: ignored`)
    else reload().catch((error: unknown) => log('warn', errorMessage(error, false)))
  }
  const listens = settings.reloadOn !== false && settings.reloadOn in constants.signals
  let registration: AttachContext | undefined

  const component: Component = {
    name: settings.name,
    priority: settings.priority,
    ...(settings.timeout === undefined ? {} : { timeout: settings.timeout }),
    start: async () => {
      starting = true
      const results = await Promise.allSettled(Array.from({ length: settings.count }, fork)).finally(() => {
        starting = false
      })
      const failed = results.find((result) => result.status === 'rejected')
      if (failed) {
        // A start that fails is never stopped: take down what did start.
        stopping = true
        await Promise.all(
          [...serving].map((worker) => stopWorker(serving, worker, 'SIGTERM', AbortSignal.timeout(5_000))),
        )
        throw failed.reason
      }
    },
    // The reload signal is this component's from registration until it is unregistered; during
    // the stop (and after it) the listener only says the signal was ignored.
    attach: (given) => {
      const context = readAttachContext('`clusterPrimary()`', given)
      // One set of workers: a second registration would fork a second set into it, and answer
      // each reload signal twice.
      if (registration !== undefined && registration.state() !== 'stopped') {
        throw new InvalidStateError(
          `Cannot register component \`${context.name}\`: this \`clusterPrimary()\` is already registered with a lifecycle that has not stopped`,
        )
      }
      const mine = context
      registration = mine
      const signal = settings.reloadOn
      if (listens && signal !== false) process.on(signal, onReloadSignal)
      return () => {
        if (listens && signal !== false) process.off(signal, onReloadSignal)
        if (registration === mine) registration = undefined
      }
    },
    stop: async ({ signal, reason, details, deadline }: StopContext) => {
      stopping = true
      const forwarded = reason.type === 'signal' ? reason.signal : 'SIGTERM'
      // Workers still running just before this hook's budget ends are killed, so that the hook
      // can still say which ones (once the budget has passed, the report only says "timeout").
      // A quarter of the budget, at most 1 s: the primary must still see the exits, and a loaded
      // machine was seen to take more than 150 ms (the margin was min(250 ms, 10 %)).
      const kill = new AbortController()
      const onAbort = (): void => kill.abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      const left = deadline - Date.now()
      const timer = setTimeout(() => kill.abort(), Math.max(0, left - Math.min(1_000, left * 0.25)))
      try {
        // A reload under way: its new worker (once ready) is stopped with the others.
        const pending = reloading
        const stops = await Promise.all(
          [...serving].map((worker) => stopWorker(serving, worker, forwarded, kill.signal)),
        )
        if (pending) {
          await pending.catch(() => undefined)
          const late = [...serving].map((worker) => stopWorker(serving, worker, forwarded, kill.signal))
          stops.push(...(await Promise.all(late)))
        }
        lastStops = stops
        details.workers = stops.length
        for (const stop of stops) details[`worker ${stop.id}`] = describe(stop)
        const bad = stops.filter((stop) => stop.exitCode !== 0 || stop.report?.ok !== true)
        if (bad.length > 0) {
          const named = bad.map((stop) => `worker ${stop.id}: ${describe(stop)}`).join('; ')
          throw new ClusterWorkerError(
            bad.map((stop) => stop.id),
            `${bad.length} of ${stops.length} workers did not stop cleanly: ${named}`,
          )
        }
      } finally {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
  // Not enumerable: `register()` accepts a component's own keys only.
  Object.defineProperties(component, {
    reload: { value: reload },
    workers: { get: () => [...serving] },
    lastStops: { get: () => lastStops },
  })
  return component as ClusterPrimary
}
