import { describe, expect, test } from 'vitest'
import { Lifecycle, Priority, type ShutdownReport } from '../../src/index.js'
import { quiet, settle } from './helpers.js'

/** Every event but `warning`, in the order a start and a stop emit them. */
const EVENTS = [
  'starting',
  'started',
  'stopping',
  'phase:start',
  'phase:end',
  'hook:start',
  'hook:end',
  'stopped',
] as const

describe('events', () => {
  test('fire in order, start then stop, with their payloads and the state of the moment', async () => {
    const lifecycle = quiet()
    const log: unknown[][] = []
    for (const event of EVENTS) {
      lifecycle.on(event, (...args: unknown[]) => void log.push([event, lifecycle.state, ...args]))
    }
    lifecycle.register({
      name: 'db',
      priority: Priority.RESOURCES,
      start: () => {},
      stop: ({ details }) => {
        details.closed = 3
      },
    })
    lifecycle.onStop('http', () => {}, { priority: 150 })

    await lifecycle.start()
    const report = await lifecycle.stop({ type: 'signal', signal: 'SIGTERM' })

    const summary = log.map(([event, state, first, second]) => {
      const payload = first as Record<string, unknown> | undefined
      switch (event) {
        case 'phase:start':
          return `${event}(${state}) ${payload?.kind} ${payload?.priority} ${payload?.name} [${payload?.hooks}]`
        case 'hook:start':
          return `${event}(${state}) ${payload?.kind} ${payload?.name} ${payload?.priority}`
        case 'hook:end':
        case 'phase:end':
          return `${event}(${state}) ${second} ${payload?.name ?? payload?.priority} ${payload?.status ?? ''}`.trimEnd()
        default:
          return `${event}(${state})`
      }
    })
    expect(summary).toEqual([
      'starting(starting)',
      'phase:start(starting) start -100 RESOURCES [db]',
      'hook:start(starting) start db -100',
      'hook:end(starting) start db ok',
      'phase:end(starting) start RESOURCES',
      'started(running)',
      'stopping(stopping)',
      'phase:start(stopping) stop 150 undefined [http]',
      'hook:start(stopping) stop http 150',
      'hook:end(stopping) stop http ok',
      'phase:end(stopping) stop 150',
      'phase:start(stopping) stop -100 RESOURCES [db]',
      'hook:start(stopping) stop db -100',
      'hook:end(stopping) stop db ok',
      'phase:end(stopping) stop RESOURCES',
      'stopped(stopped)',
    ])
    const stopping = log.find(([event]) => event === 'stopping')
    expect(stopping?.[2]).toEqual({ type: 'signal', signal: 'SIGTERM' })
    const stopped = log.find(([event]) => event === 'stopped')
    expect(stopped?.[2]).toBe(report)
    // hook:end carries the hook's report, phase:end the phase's: the same as in the final report.
    const dbEnd = log.filter(([event]) => event === 'hook:end').at(-1)
    expect(dbEnd?.[2]).toEqual(report.phases[1]?.hooks[0])
    expect(dbEnd?.[2]).toMatchObject({ name: 'db', status: 'ok', details: { closed: 3 } })
    const phaseEnds = log.filter(([event, , , kind]) => event === 'phase:end' && kind === 'stop')
    expect(phaseEnds.map(([, , phase]) => phase)).toEqual(report.phases)
  })

  test('hook:end reports failures and timeouts as they happen, before the next phase starts', async () => {
    const lifecycle = quiet()
    const log: string[] = []
    lifecycle.on('hook:end', (hook) => void log.push(`${hook.name}:${hook.status}`))
    lifecycle.on('phase:start', (phase) => void log.push(`phase ${phase.priority}`))
    lifecycle.onStop('stuck', () => new Promise(() => {}), { priority: 2, timeout: 10 })
    lifecycle.onStop(
      'bad',
      () => {
        throw new Error('bad')
      },
      { priority: 2 },
    )
    lifecycle.onStop('after', () => {}, { priority: 1 })
    await settle(lifecycle.stop())
    expect(log).toEqual(['phase 2', 'bad:error', 'stuck:timeout', 'phase 1', 'after:ok'])
  })

  test('a stop during start emits stopping, then the stop events; never started', async () => {
    const lifecycle = quiet({ startTimeout: 10 })
    const events: string[] = []
    for (const event of ['starting', 'started', 'stopping', 'stopped'] as const) {
      lifecycle.on(event, () => void events.push(event))
    }
    lifecycle.register({ name: 'slow', start: () => new Promise(() => {}), stop: () => {} })
    const started = settle(lifecycle.start())
    await Promise.resolve()
    let report: ShutdownReport | undefined
    lifecycle.on('stopped', (r) => {
      report = r
    })
    // Contract change (issue 8): a start hook the stop gave up on makes the stop not ok.
    await expect(lifecycle.stop()).rejects.toThrow(/`slow` \(timeout\)/)
    await started
    expect(events).toEqual(['starting', 'stopping', 'stopped'])
    expect(report?.ok).toBe(false)
  })

  test('a listener that throws is logged and cannot wedge the stop', async () => {
    const errors: unknown[][] = []
    const logger = { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args) }
    const lifecycle = new Lifecycle({ logger })
    const ran: string[] = []
    lifecycle.onStop('first', () => void ran.push('first'), { priority: Priority.INGRESS })
    lifecycle.onStop('second', () => void ran.push('second'), { priority: Priority.RESOURCES })
    lifecycle.on('hook:end', () => {
      throw new Error('listener bug')
    })
    lifecycle.on('stopping', () => {
      throw new Error('another listener bug')
    })
    const report = await lifecycle.stop()
    expect(report.ok).toBe(true)
    expect(ran).toEqual(['first', 'second'])
    expect(lifecycle.state).toBe('stopped')
    const logged = errors.map((args) => String(args[0]))
    expect(logged.some((line) => line.includes('`hook:end` listener threw'))).toBe(true)
    expect(logged.some((line) => line.includes('`stopping` listener threw'))).toBe(true)
  })

  test('a listener that throws does not keep the listeners after it from being called', async () => {
    const lifecycle = quiet()
    lifecycle.onStart('db', () => {})
    lifecycle.onStop('db-stop', () => {})
    const events = EVENTS
    const after: Record<string, number> = {}
    const once: Record<string, number> = {}
    for (const event of events) {
      lifecycle.on(event, () => {
        throw new Error(`${event} listener bug`)
      })
      // Before: eventemitter3 stopped at the throw, so these were never called.
      lifecycle.on(event, () => {
        after[event] = (after[event] ?? 0) + 1
      })
      lifecycle.once(event, () => {
        once[event] = (once[event] ?? 0) + 1
      })
    }
    await lifecycle.start()
    await lifecycle.stop()
    for (const event of events) {
      expect(after[event], event).toBeGreaterThan(0)
      expect(once[event], event).toBe(1)
    }
    // The hooks' events came twice (start and stop); a `once` listener ran once, then was gone.
    expect(after['hook:start']).toBe(2)
    expect(lifecycle.listenerCount('hook:start')).toBe(2)
  })
})
