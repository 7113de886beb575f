import { describe, expect, test } from 'vitest'
import { priorityName } from '../../src/core/priority.js'
import { Priority, type StopContext } from '../../src/index.js'
import { quiet } from './helpers.js'

describe('priorities', () => {
  test('the named tiers stop in the documented order', () => {
    const order = ['DRAIN', 'INGRESS', 'WORKERS', 'DEFAULT', 'RESOURCES', 'TELEMETRY'] as const
    const values = order.map((name) => Priority[name])
    expect(values).toEqual([...values].sort((a, b) => b - a))
    expect(Object.keys(Priority).sort()).toEqual([...order].sort())
    for (const name of order) expect(priorityName(Priority[name])).toBe(name)
    expect(priorityName(Priority.INGRESS + 10)).toBeUndefined()
  })

  test('a hook without a priority runs at DEFAULT; any finite number fits in between', async () => {
    const lifecycle = quiet()
    const ran: string[] = []
    const hook = (name: string) => () => void ran.push(name)
    lifecycle.onStop('telemetry', hook('telemetry'), { priority: Priority.TELEMETRY })
    lifecycle.onStop('default', hook('default'))
    lifecycle.register({ name: 'registered-default', stop: hook('registered-default') })
    lifecycle.onStop('between', hook('between'), { priority: Priority.INGRESS - 0.5 })
    lifecycle.onStop('drain', hook('drain'), { priority: Priority.DRAIN })
    lifecycle.onStop('negative', hook('negative'), { priority: -1e9 })
    lifecycle.onStop('ingress', hook('ingress'), { priority: Priority.INGRESS })
    const report = await lifecycle.stop()
    expect(ran).toEqual([
      'drain',
      'ingress',
      'between',
      'default',
      'registered-default',
      'telemetry',
      'negative',
    ])
    expect(report.phases.map((phase) => [phase.priority, phase.name])).toEqual([
      [300, 'DRAIN'],
      [200, 'INGRESS'],
      [199.5, undefined],
      [0, 'DEFAULT'],
      [-200, 'TELEMETRY'],
      [-1e9, undefined],
    ])
  })

  test('a stop hook gets its reason and a context whose signal is its own', async () => {
    const lifecycle = quiet()
    const contexts: StopContext[] = []
    lifecycle.onStop('a', (context) => void contexts.push(context))
    lifecycle.onStop('b', (context) => void contexts.push(context))
    await lifecycle.stop({ type: 'signal', signal: 'SIGTERM' })
    expect(contexts.map((c) => c.reason)).toEqual([
      { type: 'signal', signal: 'SIGTERM' },
      { type: 'signal', signal: 'SIGTERM' },
    ])
    const [a, b] = contexts
    expect(a?.signal).toBeInstanceOf(AbortSignal)
    expect(a?.signal).not.toBe(b?.signal)
    expect(a?.signal).not.toBe(lifecycle.signal)
    expect(a?.signal.aborted).toBe(false)
  })

  test('the lifecycle exposes its resolved options with the defaults filled in', () => {
    const lifecycle = quiet({ timeout: 1_234 })
    expect(lifecycle.options).toMatchObject({ timeout: 1_234, hookTimeout: 10_000, sequential: false })
    expect(lifecycle.options).not.toHaveProperty('now')
  })
})
