import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { amqpConsumer } from '../../src/adapters/amqp/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { detectionTime, drainDelay, health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'
import { testShutdown } from '../../src/testing/index.js'
import { consumer, worker } from '../../src/workers/index.js'

// Every bad input gets a clear error at the call that received it: a check must see what is used.
// An options object is read once, at the call, into a copy that the checks and the component use,
// so a getter cannot answer the check with one value and the stop with another. Each case counts
// the reads of every key, from the call through a whole start and stop, and expects exactly one.

/** An object whose keys are getters that count their reads. */
function counted<T extends Record<string, unknown>>(values: T): { value: T; reads: Record<string, number> } {
  const reads: Record<string, number> = {}
  const value = {}
  for (const [key, v] of Object.entries(values)) {
    Object.defineProperty(value, key, {
      enumerable: true,
      get() {
        reads[key] = (reads[key] ?? 0) + 1
        return v
      },
    })
  }
  return { value: value as T, reads }
}

const once = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(values).map((key) => [key, 1]))

/** Registers `component` (when given), starts and stops: what a service does after the call. */
async function runThrough(lifecycle: Lifecycle, component?: Parameters<Lifecycle['register']>[0]) {
  if (component !== undefined) lifecycle.register(component)
  await lifecycle.start()
  return lifecycle.stop()
}

describe('an options object is read once, from the call through the stop', () => {
  it('new Lifecycle(options)', async () => {
    const values = {
      timeout: 5_000,
      hookTimeout: 1_000,
      startTimeout: 1_000,
      finalGrace: 100,
      logger: false as const,
    }
    const { value, reads } = counted(values)
    await runThrough(new Lifecycle(value))
    expect(reads).toEqual(once(values))
  })

  it('onStop() and onStart() options', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const stopValues = { priority: 3, timeout: 1_000 }
    const startValues = { priority: 2, timeout: 1_000 }
    const stop = counted(stopValues)
    const start = counted(startValues)
    lifecycle.onStop('stop-hook', () => {}, stop.value)
    lifecycle.onStart('start-hook', () => {}, start.value)
    await runThrough(lifecycle)
    expect(stop.reads).toEqual(once(stopValues))
    expect(start.reads).toEqual(once(startValues))
  })

  it('onStop(): a timeout that reads 1000 and then -5 is used as 1000 (before: the hook timed out at once)', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let reads = 0
    lifecycle.onStop('flush', () => new Promise<void>((resolve) => setImmediate(resolve)), {
      get timeout() {
        return reads++ === 0 ? 1_000 : -5
      },
    })
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]).toMatchObject({ name: 'flush', status: 'ok' })
    expect(reads).toBe(1)
  })

  it('onStop(): a timeout refused once and then answered well is refused, not registered', () => {
    const lifecycle = new Lifecycle({ logger: false })
    let reads = 0
    const options = {
      get timeout() {
        return reads++ === 0 ? -1 : 5
      },
    }
    expect(() => lifecycle.onStop('flip', () => {}, options)).toThrow(/read the same each time/)
  })

  it('stop(reason): the hooks see the reason that was checked', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let seen: unknown
    lifecycle.onStop('look', ({ reason }) => {
      seen = reason.type
    })
    let reads = 0
    const reason = {
      get type() {
        return reads++ === 0 ? 'manual' : 'bogus'
      },
    } as { type: 'manual' }
    await lifecycle.stop(reason)
    expect(seen).toBe('manual')
    expect(reads).toBe(1)
  })

  it('handleSignals(options)', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const values = {
      exit: false as const,
      errors: false,
      watchdog: false as const,
      burstWindow: 100,
      shutdownMessage: false,
    }
    const { value, reads } = counted(values)
    const dispose = lifecycle.handleSignals(value)
    try {
      await runThrough(lifecycle)
    } finally {
      dispose()
    }
    expect(reads).toEqual(once(values))
  })

  it('httpServer(server, options)', async () => {
    const server = createServer()
    const values = { name: 'api', timeout: 1_000, idleGrace: 10, priority: 7 }
    const { value, reads } = counted(values)
    await runThrough(new Lifecycle({ logger: false }), httpServer(server, value))
    expect(reads).toEqual(once(values))
  })

  it('health(options), drainDelay(probe, options) and detectionTime(probe)', async () => {
    const healthValues = { name: 'probes', interval: 1_000, timeout: 500, checks: { db: () => true } }
    const probeValues = { periodSeconds: 0.05, failureThreshold: 1, timeoutSeconds: 0.05 }
    const delayValues = { name: 'delay', margin: 0, timeout: 5_000 }
    const h = counted(healthValues)
    const probe = counted(probeValues)
    const delay = counted(delayValues)
    const lifecycle = new Lifecycle({ logger: false, timeout: 10_000 })
    lifecycle.register(health(h.value))
    const component = drainDelay(probe.value, delay.value)
    lifecycle.register(component)
    await lifecycle.stop()
    expect(h.reads).toEqual(once(healthValues))
    expect(probe.reads).toEqual(once(probeValues))
    expect(delay.reads).toEqual(once(delayValues))
    const alone = counted(probeValues)
    expect(detectionTime(alone.value)).toBe(100)
    expect(alone.reads).toEqual(once(probeValues))
  })

  it('worker(loop, options) and consumer(source, handle, options)', async () => {
    const workerValues = { name: 'poller', timeout: 1_000, priority: 4 }
    const consumerValues = { name: 'jobs', concurrency: 2, highWaterMark: 4, pollInterval: 5, timeout: 1_000 }
    const w = counted(workerValues)
    const c = counted(consumerValues)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(async ({ signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      }, w.value),
    )
    lifecycle.register(consumer({ next: () => undefined }, () => {}, c.value))
    await runThrough(lifecycle)
    expect(w.reads).toEqual(once(workerValues))
    expect(c.reads).toEqual(once(consumerValues))
  })

  it('an adapter: pgPool(pool, options)', async () => {
    const values = { name: 'db', timeout: 1_000, pollInterval: 5 }
    const { value, reads } = counted(values)
    const pool = { end: async () => {}, totalCount: 0, idleCount: 0, waitingCount: 0 }
    await runThrough(new Lifecycle({ logger: false }), pgPool(pool, value))
    expect(reads).toEqual(once(values))
  })

  it('amqpConsumer(): its consumeOptions are read once, and `channel.consume()` gets what was checked', async () => {
    const values = { exclusive: true, priority: 5 }
    const { value, reads } = counted(values)
    const consumed: unknown[] = []
    const channel = {
      prefetch: async () => ({}),
      consume: async (_queue: string, _onMessage: unknown, options: unknown) => {
        consumed.push(options)
        return { consumerTag: 'tag' }
      },
      cancel: async () => ({}),
      ack() {},
      nack() {},
      close: async () => {},
    }
    const component = amqpConsumer(channel, 'orders', async () => {}, { consumeOptions: value })
    await runThrough(new Lifecycle({ logger: false }), component)
    expect(reads).toEqual(once(values))
    expect(consumed).toEqual([{ exclusive: true, priority: 5, noAck: false }])
  })

  it("testShutdown(): the command's env is read once, and the child gets what was checked", async () => {
    const values = { GL_READ_ONCE: 'seen' }
    const { value, reads } = counted(values)
    const error = await testShutdown({
      command: [process.execPath, '-e', 'console.log("env " + process.env.GL_READ_ONCE); process.exit(3)'],
      env: value,
    }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/exited before it listened:\nenv seen/)
    expect(reads).toEqual(once(values))
  })

  it('testShutdown(): an env value that is not a string is refused at the call', async () => {
    const call = testShutdown({ command: [process.execPath, '-e', ''], env: { PORT: 8080 as never } })
    await expect(call).rejects.toThrow(/Expected `env.PORT` of `testShutdown\(\)` to be a string/)
  })
})
