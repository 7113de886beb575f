// A user's service, typed with the package's public names only. Compiled by .ci/check-package in every
// module setting (ESM and CommonJS, with `declaration`, `skipLibCheck: false`), then run.
import { createServer } from 'node:http'
import {
  type Component,
  DEFAULTS,
  ErrorCode,
  type HookReport,
  Lifecycle,
  type LifecycleOptions,
  type Logger,
  Priority,
  ShutdownError,
  type ShutdownReport,
  type StartContext,
  type StopContext,
  type StopReason,
} from 'graceful-lifecycle'
import { type BunDrainDetails, type BunServerLike, bunServer } from 'graceful-lifecycle/bun'
import { type DenoServerLike, denoServer } from 'graceful-lifecycle/deno'
import { health } from 'graceful-lifecycle/health'
import { httpServer } from 'graceful-lifecycle/http'
import { formatPrometheus } from 'graceful-lifecycle/report'
import { consumer, type PushSource, type WorkerContext, worker } from 'graceful-lifecycle/workers'

/** A component of the user's own, typed through the root entry. */
export function cache(store: { flush(signal: AbortSignal): Promise<number> }): Component {
  return {
    name: 'cache',
    priority: Priority.RESOURCES,
    timeout: DEFAULTS.hookTimeout,
    start: async ({ signal }: StartContext) => {
      if (signal.aborted) throw signal.reason
    },
    stop: async ({ signal, details, reason }: StopContext) => {
      details.flushed = await store.flush(signal)
      details.reason = reason.type
    },
  }
}

export const silent: Logger = { info() {}, warn() {}, error() {} }
export const options: LifecycleOptions = { timeout: 5_000, hookTimeout: 2_000, logger: silent }
// Named after its loop function: `tick`.
export const ticker = worker(async function tick({ signal }: WorkerContext) {
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
})
export const source: PushSource<string> = { requeue: () => {} }
export const jobs = consumer<string>(source, async () => {}, { name: 'jobs' })

export function notOk(report: ShutdownReport): HookReport[] {
  return report.phases.flatMap((phase) => phase.hooks).filter((hook) => hook.status !== 'ok')
}

// Bun.serve() and Deno.serve() servers as far as the components use them: no runtime's types installed.
export const bunLike: BunServerLike = { stop: async () => {}, pendingRequests: 0 }
export const onBun = bunServer(bunLike, { timeout: 1_000 })
export const denoLike: DenoServerLike = { shutdown: async () => {}, finished: Promise.resolve() }
export const onDeno: Component = denoServer(denoLike, { name: 'api' })
export const forced = (details: BunDrainDetails): boolean => details.forced
export const readyAnswer = (probes: ReturnType<typeof health>): Promise<Response> => probes.fetchReadiness()

export async function main(): Promise<ShutdownReport> {
  const lifecycle = new Lifecycle(options)
  const server = createServer((_req, res) => res.end('ok'))
  const probes = health()
  lifecycle.register(probes)
  const { readiness } = probes
  lifecycle.register(httpServer(server, { idleGrace: DEFAULTS.http.idleGrace }))
  lifecycle.register(cache({ flush: async () => 3 }))
  lifecycle.register(ticker)
  lifecycle.register(jobs)
  lifecycle.onStop('metrics', () => {}, { priority: Priority.TELEMETRY })
  await lifecycle.start()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  if (typeof readiness !== 'function') throw new Error('health() gave no readiness handler')
  const manual: StopReason = { type: 'manual' }
  try {
    const report = await lifecycle.stop(manual)
    if (!formatPrometheus(report).includes('graceful_lifecycle_stop_duration_seconds'))
      throw new Error('formatPrometheus() gave no stop duration')
    return report
  } catch (error) {
    if (error instanceof ShutdownError && error.code === ErrorCode.SHUTDOWN)
      throw new Error(String(error.report))
    throw error
  }
}

main().then(
  (report) => {
    if (!report.ok || notOk(report).length > 0) throw new Error(`stop not ok:\n${String(report)}`)
    console.log(
      `  ran: ${report.phases.length} phases, ${report.phases.flatMap((p) => p.hooks).length} hooks`,
    )
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  },
)
