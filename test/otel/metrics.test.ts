import { describe, expect, test } from 'vitest'
import { Priority } from '../../src/index.js'
import { instrumentLifecycle } from '../../src/otel/index.js'
import { quiet, settle, sleep } from '../core/helpers.js'
import { sdk } from './sdk.js'

describe('graceful-lifecycle/otel: metrics', () => {
  test('stop duration and per-hook duration histograms, with reason, status and run as attributes', async () => {
    const otel = sdk()
    const lifecycle = quiet()
    instrumentLifecycle(lifecycle, { tracer: otel.tracer, meter: otel.meter })
    lifecycle.register({
      name: 'db',
      start: () => sleep(5),
      stop: () => sleep(10),
      priority: Priority.RESOURCES,
    })
    lifecycle.onStop(
      'bad',
      () => {
        throw new Error('x')
      },
      { priority: Priority.INGRESS },
    )
    await lifecycle.start()
    const { error } = await settle(lifecycle.stop({ type: 'signal', signal: 'SIGTERM' }))
    const report = (error as { report: { durationMs: number } }).report

    const stops = await otel.points('graceful_lifecycle.stop.duration')
    expect(stops).toHaveLength(1)
    expect(stops[0]?.attributes).toEqual({
      'graceful_lifecycle.ok': false,
      'graceful_lifecycle.reason': 'signal',
    })
    expect(stops[0]?.value.count).toBe(1)
    expect(stops[0]?.value.sum).toBe(report.durationMs)

    const starts = await otel.points('graceful_lifecycle.start.duration')
    expect(starts.map((point) => point.attributes)).toEqual([
      { 'graceful_lifecycle.ok': true, 'graceful_lifecycle.interrupted': false },
    ])
    expect(starts[0]?.value.sum).toBeGreaterThanOrEqual(4)

    const hooks = await otel.points('graceful_lifecycle.hook.duration')
    const by = (run: string, name: string) =>
      hooks.find(
        (point) =>
          point.attributes['graceful_lifecycle.run'] === run &&
          point.attributes['graceful_lifecycle.hook.name'] === name,
      )
    expect(by('start', 'db')?.attributes['graceful_lifecycle.hook.status']).toBe('ok')
    expect(by('stop', 'db')?.value.sum).toBeGreaterThanOrEqual(9)
    expect(by('stop', 'bad')?.attributes).toEqual({
      'graceful_lifecycle.run': 'stop',
      'graceful_lifecycle.hook.name': 'bad',
      'graceful_lifecycle.hook.status': 'error',
      'graceful_lifecycle.phase.priority': Priority.INGRESS,
    })
    await otel.shutdown()
  })
})
