import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { natsConnection } from '../../src/adapters/nats/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { wsServer } from '../../src/adapters/ws/index.js'
import { drainDelay } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { DEFAULTS, Lifecycle, Priority } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

describe('DEFAULTS: one object, what the components actually get', () => {
  it('has the lifecycle budgets at its top and a section per integration', () => {
    expect(Object.keys(DEFAULTS).sort()).toEqual(
      [
        'adapters',
        'cluster',
        'fastify',
        'finalGrace',
        'health',
        'hookTimeout',
        'http',
        'nestjs',
        'signals',
        'startTimeout',
        'testing',
        'timeout',
        'trackedHookName',
        'workers',
      ].sort(),
    )
    expect(DEFAULTS.signals).toEqual({ signals: ['SIGTERM', 'SIGINT'], watchdog: 1_000, burstWindow: 250 })
  })

  it('is frozen all the way down: a default changes through an option, never by assignment', () => {
    const sections = [
      DEFAULTS,
      DEFAULTS.http,
      DEFAULTS.signals,
      DEFAULTS.signals.signals,
      DEFAULTS.adapters.pg,
    ]
    for (const section of sections) expect(Object.isFrozen(section)).toBe(true)
    expect(() => {
      ;(DEFAULTS.http as { idleGrace: number }).idleGrace = 0
    }).toThrow(TypeError)
    expect(DEFAULTS.http.idleGrace).toBe(500)
  })

  it('a Lifecycle without options gets the top-level budgets', () => {
    const { options } = new Lifecycle({ logger: false })
    expect(options).toMatchObject({
      timeout: DEFAULTS.timeout,
      hookTimeout: DEFAULTS.hookTimeout,
      startTimeout: DEFAULTS.startTimeout,
      finalGrace: DEFAULTS.finalGrace,
    })
  })

  it('integrations take their names from their sections', () => {
    expect(httpServer(createServer()).name).toBe(DEFAULTS.http.name)
    expect(drainDelay(1_000)).toMatchObject({
      name: DEFAULTS.health.drainDelayName,
      timeout: 1_000 + DEFAULTS.health.drainDelaySlack,
    })
    expect(worker(async () => {}, { name: 'loop' }).priority).toBe(Priority.WORKERS)
    expect(consumer({ requeue: () => {} }, () => {}, { name: 'jobs' }).priority).toBe(Priority.WORKERS)
  })

  it('each adapter takes its default name and priority from DEFAULTS.adapters', () => {
    const pg = pgPool({ end: async () => {}, totalCount: 0, idleCount: 0, waitingCount: 0 })
    expect(pg).toMatchObject({ name: DEFAULTS.adapters.pg.name, priority: DEFAULTS.adapters.pg.priority })
    const ws = wsServer({ clients: new Set(), close: () => {} })
    expect(ws).toMatchObject({ name: DEFAULTS.adapters.ws.name, priority: DEFAULTS.adapters.ws.priority })
    const bull = bullmqWorker({ close: async () => {}, on: () => {}, isRunning: () => true } as never)
    expect(bull).toMatchObject({
      name: DEFAULTS.adapters.bullmq.name,
      priority: DEFAULTS.adapters.bullmq.priority,
    })
    const nats = natsConnection({
      drain: async () => {},
      close: async () => {},
      isClosed: () => false,
    } as never)
    expect(nats).toMatchObject({
      name: DEFAULTS.adapters.nats.name,
      priority: DEFAULTS.adapters.nats.priority,
    })
  })

  it('tracked work appears under DEFAULTS.trackedHookName, which no component may take', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    expect(() => lifecycle.onStop(DEFAULTS.trackedHookName, () => {})).toThrow(TypeError)
    lifecycle.track(Promise.resolve())
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(report.phases.flatMap((phase) => phase.hooks).map((hook) => hook.name)).toContain(
      DEFAULTS.trackedHookName,
    )
  })
})
