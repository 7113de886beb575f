import { EventEmitter } from 'node:events'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { Lifecycle } from '../../src/index.js'

/** A lifecycle that already has a component named `name`: registering another `name` is refused. */
function taken(name: string): Lifecycle {
  const lifecycle = new Lifecycle({ logger: false })
  lifecycle.onStop(name, () => {})
  return lifecycle
}

const EVENTS = {
  pg: ['acquire', 'release', 'remove'],
  bullmq: ['active', 'completed', 'failed'],
} as const

function listeners(emitter: EventEmitter, events: readonly string[]): number {
  return events.reduce((total, event) => total + emitter.listenerCount(event), 0)
}

class FakeWorker extends EventEmitter {
  async close(): Promise<void> {}
  isRunning(): boolean {
    return true
  }
}

describe('adapters that listen to their client do it only once register() accepted them', () => {
  it.each([
    ['pgPool', 'pg', () => new pg.Pool(), (pool: EventEmitter) => pgPool(pool as pg.Pool)],
    [
      'bullmqWorker',
      'bullmq',
      () => new FakeWorker(),
      (worker: EventEmitter) => bullmqWorker(worker as FakeWorker),
    ],
  ] as const)(
    '%s: a refused register() leaves no listener; an accepted one adds them, unregister removes them',
    (_, name, client, adapter) => {
      const emitter = client()
      const component = adapter(emitter)
      expect(listeners(emitter, EVENTS[name])).toBe(0)
      expect(() => taken(name).register(component)).toThrow(/to be unique, got a duplicate/)
      expect(listeners(emitter, EVENTS[name])).toBe(0)
      const lifecycle = new Lifecycle({ logger: false })
      const unregister = lifecycle.register(component)
      expect(listeners(emitter, EVENTS[name])).toBe(3)
      unregister()
      expect(listeners(emitter, EVENTS[name])).toBe(0)
    },
  )
})
