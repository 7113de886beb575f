import type { Worker } from 'node:cluster'
import type { ShutdownReportJSON } from '../core/types.js'
import { isMessage, KEY, type StopMessage } from './messages.js'

/** How one worker's stop went, as the primary saw it. */
export interface WorkerStop {
  readonly id: number
  readonly pid: number | undefined
  /** Its exit code (`null`: killed by a signal, `SIGKILL` when it outlived the budget). */
  readonly exitCode: number | null
  readonly exitSignal: string | null
  /** The worker's own report, as it sent it (absent when it died without one). */
  readonly report: ShutdownReportJSON | undefined
  /** From the stop request to its exit, in ms. */
  readonly durationMs: number
}

/**
 * @internal Asks `worker` to stop its lifecycle, keeps the report it sends, resolves at its exit;
 * kills it when `abort` aborts (the primary's budget).
 */
export function stopWorker(
  serving: Set<Worker>,
  worker: Worker,
  signal: NodeJS.Signals,
  abort: AbortSignal | undefined,
): Promise<WorkerStop> {
  serving.delete(worker)
  const began = performance.now()
  let report: ShutdownReportJSON | undefined
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if (isMessage(message, 'report')) report = (message as { report: ShutdownReportJSON }).report
    }
    const kill = (): void => {
      worker.process.kill('SIGKILL')
    }
    worker.on('message', onMessage)
    abort?.addEventListener('abort', kill, { once: true })
    const done = (code: number | null, exitSignal: string | null): void => {
      worker.off('message', onMessage)
      abort?.removeEventListener('abort', kill)
      resolve({
        id: worker.id,
        pid: worker.process.pid,
        exitCode: code,
        exitSignal,
        report,
        durationMs: Math.round(performance.now() - began),
      })
    }
    if (worker.process.exitCode !== null || worker.process.signalCode !== null) {
      done(worker.process.exitCode, worker.process.signalCode)
      return
    }
    worker.once('exit', done)
    const message: StopMessage = { [KEY]: 'stop', signal }
    if (worker.isConnected()) worker.send(message)
    else kill()
    if (abort?.aborted) kill()
  })
}

/** `pid 123 ok in 812 ms (drain-delay 600, http 205), exit 0` */
/** @internal */
export function describe(stop: WorkerStop): string {
  const exit = stop.exitCode === null ? `killed (${stop.exitSignal})` : `exit ${stop.exitCode}`
  if (stop.report === undefined) return `pid ${stop.pid} sent no report, ${exit} after ${stop.durationMs} ms`
  const hooks = stop.report.phases
    .flatMap((phase) => phase.hooks)
    .map(
      (hook) => `${hook.name} ${hook.status === 'ok' ? '' : `${hook.status} `}${Math.round(hook.durationMs)}`,
    )
    .join(', ')
  return `pid ${stop.pid} ${stop.report.ok ? 'ok' : 'NOT OK'} in ${Math.round(stop.report.durationMs)} ms (${hooks}), ${exit}`
}
