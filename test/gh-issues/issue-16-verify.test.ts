import { EventEmitter, once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { clusterPrimary } from '../../src/cluster/index.js'
import { health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import {
  InvalidArgumentError,
  InvalidStateError,
  Lifecycle,
  type ShutdownReport,
  TestSetupError,
} from '../../src/index.js'
import { freePort } from '../../src/testing/index.js'
import { consumer, worker } from '../../src/workers/index.js'

// Issue 16, checked from outside: a registration is read once, refused whole or accepted whole,
// and a component registered twice is refused rather than half-run.

const hookNames = (report: { phases: readonly { hooks: readonly { name: string }[] }[] }) =>
  report.phases.flatMap((phase) => phase.hooks.map((h) => h.name))

describe('register() reads a component once', () => {
  it('a getter that answers differently on a second read cannot register an empty name', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let reads = 0
    const component = {
      get name() {
        return reads++ === 0 ? 'db' : ''
      },
      stop() {},
    }
    // Before: checked as `db`, registered as `` (a blank name in the report).
    try {
      lifecycle.register(component)
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError)
    }
    expect(hookNames(await lifecycle.stop())).not.toContain('')
  })

  it('a getter that throws is refused with a code at the call', () => {
    const lifecycle = new Lifecycle({ logger: false })
    const boom = new Error('boom')
    const component = {
      name: 'db',
      get stop(): () => void {
        throw boom
      },
    }
    const error = (() => {
      try {
        lifecycle.register(component)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error).toMatchObject({ code: 'GL_ERR_INVALID_ARGUMENT', cause: boom })
    expect((error as Error).message).toContain('`stop` threw: boom')
  })

  it('a Proxy whose ownKeys trap throws is refused with a code', () => {
    const lifecycle = new Lifecycle({ logger: false })
    const proxy = new Proxy(
      { name: 'p', stop() {} },
      {
        ownKeys() {
          throw new Error('no keys')
        },
      },
    )
    expect(() => lifecycle.register(proxy)).toThrow(InvalidArgumentError)
  })
})

describe('what attach returns and does', () => {
  it('attach returning something other than a function is refused at register(), not at unregister', () => {
    const lifecycle = new Lifecycle({ logger: false })
    const component = { name: 'a', stop() {}, attach: () => 42 as unknown as () => void }
    // Before: accepted, and the unregister function threw `detach is not a function` later.
    expect(() => lifecycle.register(component)).toThrow(/`attach` of component `a`/)
    expect(() => lifecycle.register({ name: 'a', stop() {} })).not.toThrow()
  })

  it('a stop requested during attach stops the component being attached', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let stopped = 0
    lifecycle.register({
      name: 'a',
      stop() {
        stopped++
      },
      attach: ({ requestStop }) => {
        requestStop({ type: 'manual' })
        return undefined
      },
    })
    const stoppedEvent = new Promise<ShutdownReport>((resolve) => lifecycle.once('stopped', resolve))
    const report = await stoppedEvent
    // Before: the stop began before `a` joined the registry; `a` was never stopped.
    expect(hookNames(report)).toEqual(['a'])
    expect(stopped).toBe(1)
  })

  it('unregistered during a stop, a component is still stopped, then its attach is undone', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let stopped = false
    let off = (): void => {}
    lifecycle.onStop('first', () => off(), { priority: 10 })
    // Before: never undone (a cluster primary's SIGHUP listener stayed for the life of the process).
    const undone = new Promise<boolean>((resolve) => {
      off = lifecycle.register({
        name: 'a',
        stop() {
          stopped = true
        },
        attach: () => () => resolve(stopped),
      })
    })
    await lifecycle.stop()
    expect(await undone).toBe(true)
  })

  it('requestStop() with a bad reason throws at the call instead of doing nothing', () => {
    const lifecycle = new Lifecycle({ logger: false })
    let requestStop: ((reason: never) => void) | undefined
    lifecycle.register({
      name: 'a',
      stop() {},
      attach: (context) => {
        requestStop = context.requestStop as (reason: never) => void
        return undefined
      },
    })
    expect(() => requestStop?.({ type: 'bogus' } as never)).toThrow(InvalidArgumentError)
    expect(lifecycle.state).toBe('idle')
  })

  it('an attach that stops the lifecycle itself is refused and undone', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let detached = 0
    expect(() =>
      lifecycle.register({
        name: 'a',
        stop() {},
        attach: () => {
          void lifecycle.stop()
          return () => {
            detached++
          }
        },
      }),
    ).toThrow(InvalidStateError)
    expect(detached).toBe(1)
    await lifecycle.stop()
  })
})

describe('one worker or consumer, one registration at a time', () => {
  it('worker(): registering it with a second lifecycle is refused, so no loop is left running', async () => {
    let live = 0
    const loop = worker(
      async ({ signal }) => {
        live++
        await once(signal, 'abort')
        live--
      },
      { name: 'poll' },
    )
    const a = new Lifecycle({ logger: false })
    const b = new Lifecycle({ logger: false })
    a.register(loop)
    // Before: accepted; both starts ran the loop, the first runner was lost, and after both stops
    // one loop was still running.
    expect(() => b.register(loop)).toThrow(InvalidStateError)
    expect(() => a.register({ ...loop, name: 'poll-2' })).toThrow(InvalidStateError)
    await a.start()
    await a.stop()
    expect(live).toBe(0)
    // Once that lifecycle has stopped, another may take it.
    expect(() => b.register(loop)).not.toThrow()
  })

  it('worker(): unregistered, it may be registered again', () => {
    const loop = worker(async () => {}, { name: 'poll' })
    const a = new Lifecycle({ logger: false })
    const off = a.register(loop)
    off()
    expect(() => new Lifecycle({ logger: false }).register(loop)).not.toThrow()
  })

  it('clusterPrimary(): a second registration is refused, with one SIGHUP listener', () => {
    const before = process.listenerCount('SIGHUP')
    const primary = clusterPrimary({ workers: 1 })
    const off = new Lifecycle({ logger: false }).register(primary)
    // Before: accepted; two starts forked two sets of workers, and each SIGHUP reloaded twice.
    expect(() => new Lifecycle({ logger: false }).register({ ...primary })).toThrow(InvalidStateError)
    expect(process.listenerCount('SIGHUP')).toBe(before + 1)
    off()
    expect(process.listenerCount('SIGHUP')).toBe(before)
  })

  it('consumer(): a second registration is refused at register(), not at the second start', () => {
    const jobs = consumer({ next: async () => undefined }, async () => {}, { name: 'jobs' })
    new Lifecycle({ logger: false }).register(jobs)
    expect(() => new Lifecycle({ logger: false }).register({ ...jobs })).toThrow(/already registered/)
  })
})

describe('options whose getters throw are refused with a code at the call', () => {
  const throwing = <T extends object>(base: T, key: string): T =>
    Object.defineProperty({ ...base }, key, {
      enumerable: true,
      get() {
        throw new Error('getter boom')
      },
    })
  const trapped = <T extends object>(base: T, key: string): T =>
    new Proxy(base, {
      get(target, property) {
        if (property === key) throw new Error('trap boom')
        return Reflect.get(target, property)
      },
    })

  it.each([
    ['new Lifecycle()', () => new Lifecycle(throwing({}, 'timeout'))],
    ['onStop() options', () => new Lifecycle().onStop('a', () => {}, throwing({}, 'timeout'))],
    [
      'onStop() options (Proxy)',
      () => new Lifecycle().onStop('a', () => {}, trapped({ timeout: 1 }, 'timeout')),
    ],
    ['handleSignals()', () => new Lifecycle().handleSignals(throwing({}, 'signals'))],
    ['worker()', () => worker(async () => {}, throwing({}, 'name'))],
    ['consumer() source', () => consumer(throwing({}, 'next') as never, async () => {})],
    ['new Lifecycle() (Proxy, a key it lacks)', () => new Lifecycle(trapped({}, 'timeout'))],
    ['health() (Proxy, a key it lacks)', () => health(trapped({}, 'checks'))],
    [
      'pgPool() options (Proxy, a key it lacks)',
      () =>
        pgPool({ end: async () => {}, totalCount: 0, idleCount: 0, waitingCount: 0 }, trapped({}, 'timeout')),
    ],
  ])('%s', (_label, call) => {
    // Before: the getter's own uncoded Error escaped.
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(/to be readable, got one whose `\w+` threw: getter boom|trap boom/)
  })

  it('stop(reason) rejects with a code', async () => {
    await expect(new Lifecycle().stop(throwing({ type: 'manual' as const }, 'type'))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    )
  })
})

describe('an attach that throws leaves nothing behind', () => {
  it('httpServer(): a server whose listeners cannot all be added keeps none of ours, and stays unclaimed', () => {
    const server = Object.assign(new EventEmitter(), {
      listen() {},
      close() {},
      address: () => null,
      listenerCount(): number {
        throw new Error('not quite an EventEmitter')
      },
    })
    const lifecycle = new Lifecycle({ logger: false })
    expect(() => lifecycle.register(httpServer(server as never))).toThrow('not quite an EventEmitter')
    // Before: the `connection` and `request` listeners stayed, and the server stayed claimed.
    expect(server.eventNames()).toEqual([])
    Reflect.deleteProperty(server, 'listenerCount')
    expect(() => lifecycle.register(httpServer(server as never))).not.toThrow()
  })

  it('pgPool() and bullmqWorker(): a client whose third `on()` throws keeps none of our listeners', () => {
    const failingThirdOn = <T extends object>(extra: T) => {
      const emitter = new EventEmitter()
      let calls = 0
      return Object.assign(emitter, extra, {
        on(event: string, listener: (...args: never[]) => void) {
          if (++calls === 3) throw new Error('on boom')
          return EventEmitter.prototype.on.call(emitter, event, listener as () => void)
        },
      })
    }
    const pool = failingThirdOn({ end: async () => {}, totalCount: 0, idleCount: 0, waitingCount: 0 })
    const worker = failingThirdOn({ close: async () => {}, isRunning: () => true })
    const lifecycle = new Lifecycle({ logger: false })
    expect(() => lifecycle.register(pgPool(pool))).toThrow('on boom')
    expect(() => lifecycle.register(bullmqWorker(worker))).toThrow('on boom')
    // Before: the first two listeners stayed on each.
    expect(pool.eventNames()).toEqual([])
    expect(worker.eventNames()).toEqual([])
  })
})

describe('bad input to the testing helpers', () => {
  it('freePort() given a host that is not a string rejects with a code', async () => {
    // Before: Node's listen() ignored the number and a port was found on another interface.
    await expect(freePort(5 as never)).rejects.toBeInstanceOf(InvalidArgumentError)
  })

  it("freePort() on an address that is not this machine's rejects with a code, Node's error its cause", async () => {
    // 192.0.2.1 (TEST-NET-1) is no local interface: the bind fails here, nothing is sent or looked up.
    const error = await freePort('192.0.2.1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TestSetupError)
    expect(error).toMatchObject({
      code: 'GL_ERR_TEST_SETUP',
      message: expect.stringContaining('`freePort()` could not listen on `192.0.2.1`'),
      cause: expect.objectContaining({ code: 'EADDRNOTAVAIL' }),
    })
  })
})
