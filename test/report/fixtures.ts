import { Report } from '../../src/core/report/index.js'
import type { HookReport, PhaseReport } from '../../src/core/types.js'
import { Priority, ShutdownError, type ShutdownReport } from '../../src/index.js'
import { never, quiet, settle, sleep } from '../core/helpers.js'

/** A real stop with every outcome: ok with details, a timeout that recorded details, an error, a skip. */
export async function realReport(): Promise<ShutdownReport> {
  const lifecycle = quiet({ hookTimeout: 2_000 })
  lifecycle.onStop('readiness', () => sleep(2), { priority: Priority.DRAIN })
  lifecycle.onStop(
    'http',
    ({ signal, details }) => {
      details.drained = 3
      signal.addEventListener('abort', () => {
        details.destroyed = 1
      })
      return never()
    },
    { priority: Priority.INGRESS, timeout: 40 },
  )
  lifecycle.onStop('ws', () => sleep(10), { priority: Priority.INGRESS })
  lifecycle.onStop(
    'db',
    () => {
      throw new Error('pool.end failed')
    },
    { priority: Priority.RESOURCES },
  )
  lifecycle.onStop('metrics', () => sleep(5), { priority: Priority.TELEMETRY })
  const { error } = await settle(lifecycle.stop({ type: 'signal', signal: 'SIGTERM' }))
  if (!(error instanceof ShutdownError)) throw new Error('expected the stop to fail')
  return error.report
}

const hook = (
  name: string,
  over: Partial<HookReport> & Pick<HookReport, 'startMs' | 'durationMs'>,
): HookReport => ({
  name,
  priority: 0,
  status: 'ok',
  ...over,
})

/**
 * A report as a stop that interrupted a start would give: the start's phase first, with negative
 * offsets, then the stop's phases. Built by hand, so every number is known.
 */
export function interruptedStart(): Report {
  const phases: PhaseReport[] = [
    {
      kind: 'start',
      priority: 0,
      name: 'DEFAULT',
      startMs: -120,
      durationMs: 150,
      hooks: [
        hook('migrate', {
          status: 'timeout',
          startMs: -120,
          durationMs: 150,
          budgetMs: 100,
          error: new Error('`migrate` was abandoned'),
        }),
      ],
    },
    {
      kind: 'stop',
      priority: 200,
      name: 'INGRESS',
      startMs: 30,
      durationMs: 60,
      hooks: [
        hook('http', { priority: 200, startMs: 30, durationMs: 60, budgetMs: 80, details: { drained: 4 } }),
        hook('ws', { priority: 200, startMs: 30, durationMs: 20, budgetMs: 80 }),
      ],
    },
    {
      kind: 'stop',
      priority: -100,
      name: 'RESOURCES',
      startMs: 90,
      durationMs: 30,
      hooks: [
        hook('db', {
          priority: -100,
          status: 'error',
          startMs: 90,
          durationMs: 30,
          budgetMs: 1_000,
          error: new Error('pool.end failed'),
        }),
        hook('cache', { priority: -100, status: 'skipped', startMs: 120, durationMs: 0 }),
      ],
    },
  ]
  return new Report({ type: 'signal', signal: 'SIGTERM' }, 1_700_000_000_000, 120, phases)
}
