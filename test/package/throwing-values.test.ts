import { EventEmitter } from 'node:events'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, Lifecycle, LifecycleError } from '../../src/index.js'
import { entries } from './entries.js'

// An adversary's value: a server, client, report or lifecycle whose getters, or Proxy traps, throw.
// Every public function of every entry point refuses it at the call with a coded error (the thrown
// value as its `cause`), never with the raw error from somewhere inside. The functions are found
// from package.json's exports, so a new entry point is checked without being listed here.

const boom = new Error('a trap that throws')
/** Lists a key, then throws on every read of it. */
const throwingGetter = (): object =>
  new Proxy(
    {},
    {
      get: () => {
        throw boom
      },
      ownKeys: () => ['name'],
      getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }),
    },
  )
/** Every trap throws, even the ones that list keys or tell its tag. */
const throwingEverything = (): object =>
  new Proxy(function target() {}, {
    get: () => {
      throw boom
    },
    has: () => {
      throw boom
    },
    ownKeys: () => {
      throw boom
    },
    getOwnPropertyDescriptor: () => {
      throw boom
    },
  })

/**
 * Plausible neighbours for the hostile argument: nothing, a name, a function, a server, a client.
 * The name is an address, so that `freePort(name)` listens on loopback and looks nothing up.
 */
const neighbours = (): unknown[] => [
  undefined,
  '127.0.0.1',
  () => {},
  createServer(),
  Object.assign(new EventEmitter(), { end() {}, close() {}, quit() {}, disconnect() {}, status: 'ready' }),
]

const coded = (error: unknown): boolean =>
  error instanceof InvalidArgumentError || error instanceof LifecycleError

describe('a value whose getters throw is refused with a code, by every public function', () => {
  for (const { key: entry, source: file } of entries) {
    it(`${entry}`, async () => {
      const module = (await import(file)) as Record<string, unknown>
      const functions = Object.entries(module).filter(
        (pair): pair is [string, (...args: unknown[]) => unknown] =>
          typeof pair[1] === 'function' && !/^[A-Z]/.test(pair[0]),
      )
      const escaped: string[] = []
      let refusedByTrap = 0
      for (const [name, fn] of functions) {
        for (const hostile of [throwingGetter, throwingEverything]) {
          for (let position = 0; position < 3; position++) {
            for (const neighbour of neighbours()) {
              const args = [neighbour, neighbour, undefined]
              args[position] = hostile()
              let error: unknown
              try {
                const result = fn(...args)
                if (result instanceof Promise) await result.catch((rejected: unknown) => (error = rejected))
              } catch (thrown) {
                error = thrown
              }
              if (error === undefined) continue
              if (!coded(error)) escaped.push(`${name}(argument ${position}): ${String(error)}`)
              else if ((error as Error).cause === boom) refusedByTrap++
            }
          }
        }
      }
      expect([...new Set(escaped)]).toEqual([])
      if (functions.length > 0 && entry !== './report' && entry !== '.')
        expect(refusedByTrap).toBeGreaterThan(0)
    })
  }
})

describe('the core, with a hostile argument', () => {
  it('track() reads a thenable once, and refuses one whose `then` throws', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    expect(() => lifecycle.track(throwingGetter() as PromiseLike<unknown>)).toThrow(
      expect.objectContaining({ code: 'GL_ERR_INVALID_ARGUMENT', cause: boom }),
    )
    let reads = 0
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable whose `then` is a getter, read once
      get then() {
        reads++
        return (resolve: (value: string) => void) => resolve('done')
      },
    }
    await expect(lifecycle.track(thenable as unknown as PromiseLike<string>)).resolves.toBe('done')
    expect(reads).toBe(1)
    await lifecycle.stop()
  })

  it('a listener that throws for an event whose name cannot be printed is logged, and the call goes on', () => {
    const errors: unknown[][] = []
    const lifecycle = new Lifecycle({
      logger: { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => errors.push(args) },
    })
    const event = throwingEverything() as unknown as 'started'
    lifecycle.on('started', () => {})
    expect(() => lifecycle.emit(event)).not.toThrow()
    expect(errors).toHaveLength(1)
  })
})

describe("a component's `attach`, called by hand with a bad context, is refused with a code", () => {
  const server = createServer()
  const components = {
    httpServer: async () => (await import('../../src/http/index.js')).httpServer(server),
    health: async () => (await import('../../src/health/index.js')).health(),
    worker: async () => (await import('../../src/workers/index.js')).worker(async () => {}),
  }
  const good = {
    name: 'x',
    stopping: new AbortController().signal,
    state: () => 'idle',
    log: console,
    requestStop: () => {},
  }
  const bad: Record<string, unknown> = {
    undefined,
    'a string': 'context',
    'no stopping signal': { ...good, stopping: {} },
    'a log without error()': { ...good, log: { info() {}, warn() {} } },
    'a Proxy whose traps throw': throwingGetter(),
  }
  for (const [factory, make] of Object.entries(components)) {
    it(`${factory}()`, async () => {
      const component = await make()
      for (const [what, context] of Object.entries(bad)) {
        let error: unknown
        try {
          component.attach?.(context as never)
        } catch (caught) {
          error = caught
        }
        expect(error, what).toBeInstanceOf(InvalidArgumentError)
        expect((error as Error).message, what).toContain('`attach`')
      }
      // A good context still attaches, once: nothing was left claimed by the refusals.
      const detach = component.attach?.(good as never)
      expect(detach).toBeTypeOf('function')
      detach?.()
    })
  }
})
