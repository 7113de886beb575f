/**
 * Our variants: a `Lifecycle` with the `httpServer()` component (default options, or
 * `idleGrace: 0`, or behind `drainDelay(ms)`), stopped on SIGTERM.
 */
import type { Server } from 'node:http'
import { drainDelay } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'
import type { Details } from './variants.js'

export interface UsOptions {
  readonly idleGrace?: number | undefined
  readonly drainDelayMs?: number | undefined
}

export function attachUs(server: Server, budgetMs: number, report: Details, options: UsOptions = {}): void {
  const lifecycle = new Lifecycle({ logger: false })
  if (options.drainDelayMs !== undefined) lifecycle.register(drainDelay(options.drainDelayMs))
  lifecycle.register(
    httpServer(server, {
      timeout: budgetMs,
      ...(options.idleGrace === undefined ? {} : { idleGrace: options.idleGrace }),
    }),
  )
  const done = (result: ShutdownReport) => {
    report({ ok: result.ok, hooks: result.phases.flatMap((phase) => phase.hooks) })
    process.exit(0)
  }
  process.once('SIGTERM', () => {
    lifecycle.stop().then(done, (error: unknown) => {
      // a hook that timed out (the never-ending request) rejects the stop with the report
      if (error instanceof ShutdownError) done(error.report)
      report({ ok: false, error: String(error) })
      process.exit(1)
    })
  })
}
