import { describe, expect, it } from 'vitest'
import { DEFAULTS, InvalidArgumentError, InvalidStateError, Lifecycle } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

const loop = async (): Promise<void> => {}
const handle = (): void => {}
const pull = { next: () => undefined }

describe('worker() input', () => {
  it.each([
    [() => worker(loop, { name: '' }), /`name` of `worker\(\)` to be a non-empty string/],
    [
      () => worker('nope' as never, { name: 'w' }),
      /`loop` of `worker\(\)` to be a function, got `"nope"` \(string\)/,
    ],
    [() => worker(loop, null as never), /`options` of `worker\(\)` to be an object/],
    [
      () => worker(loop, { name: 'w', timeout: -1 }),
      /`timeout` of worker `w` to be a number of milliseconds from 0 to 2147483647/,
    ],
    [
      () => worker(loop, { name: 'w', priority: Number.NaN }),
      /`priority` of worker `w` to be a finite number/,
    ],
    [() => worker(loop, { name: 'w', onCrash: 'exit' as never }), /`onCrash` of worker `w`/],
    [
      () => worker(loop, { name: 'w', lifecycle: {} } as never),
      /Unknown option `lifecycle` in `options` of worker `w`/,
    ],
    [() => worker(loop, { name: 'w', logger: {} as never }), /`logger` of worker `w`/],
    [
      () => worker(loop, { name: 'w', timout: 5 } as never),
      /Unknown option `timout` in `options` of worker `w`/,
    ],
    [() => worker(loop, { name: 5 } as never), /`name` of `worker\(\)` to be a non-empty string, got `5`/],
  ])('throws a TypeError naming the worker and the field (%#)', (call, message) => {
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(message)
  })
})

describe('consumer() input', () => {
  it.each([
    [() => consumer(pull, handle, { name: '' }), /`name` of `consumer\(\)`/],
    [() => consumer(pull, handle, null as never), /`options` of `consumer\(\)` to be an object/],
    [
      () => consumer(pull, handle, { name: 'c', concurrency: 0 }),
      /`concurrency` of consumer `c` to be a positive integer, got `0`/,
    ],
    [
      () => consumer(pull, handle, { name: 'c', concurrency: 1.5 }),
      /`concurrency` of consumer `c` to be a positive integer/,
    ],
    [() => consumer(pull, handle, { name: 'c', highWaterMark: -2 }), /`highWaterMark` of consumer `c`/],
    [
      () => consumer(pull, handle, { name: 'c', drain: 'everything' as never }),
      /Expected `drain` of consumer `c` to be `'in-flight'` or `'all'`, got `"everything"` \(string\)/,
    ],
    [
      () => consumer(pull, handle, { name: 'c', drain: true as never }),
      /`drain` of consumer `c` to be `'in-flight'` or `'all'`, got `true` \(boolean\)/,
    ],
    [
      () => consumer(pull, handle, { name: 'c', pollInterval: Number.POSITIVE_INFINITY }),
      /`pollInterval` of consumer `c`/,
    ],
    [() => consumer(pull, undefined as never, { name: 'c' }), /`handle` of consumer `c` to be a function/],
    [() => consumer('queue' as never, handle, { name: 'c' }), /`source` of consumer `c` to be an object/],
    [
      () => consumer({ next: 1 } as never, handle, { name: 'c' }),
      /`source.next` of consumer `c` to be a function/,
    ],
    [
      () => consumer({} as never, handle, { name: 'c' }),
      /`source.requeue` of consumer `c` to be a function \(a push source/,
    ],
    [
      () => consumer({ ...pull, ack: true } as never, handle, { name: 'c' }),
      /`source.ack` of consumer `c` to be a function/,
    ],
    [
      () => consumer(pull, handle, { name: 'c', onError: 'log' as never }),
      /`onError` of consumer `c` to be a function/,
    ],
    [() => consumer(pull, handle, { name: 'c', concurrenc: 2 } as never), /Unknown option `concurrenc`/],
    [
      () => consumer(pull, handle, { name: 'c', source: pull } as never),
      /Unknown option `source` in `options` of consumer `c`/,
    ],
  ])('throws a TypeError naming the consumer and the field (%#)', (call, message) => {
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(message)
  })

  it('refuses push() on a pull consumer and before the start', () => {
    const pulling = consumer(pull, handle, { name: 'c' })
    expect(() => (pulling as { push(item: unknown): boolean }).push(1)).toThrow(InvalidStateError)
    const pushing = consumer<number>({ requeue: () => {} }, handle, { name: 'p' })
    expect(() => pushing.push(1)).toThrow(/`p`: it has not started/)
  })

  it('is a component that register() accepts, at Priority.WORKERS', () => {
    const lifecycle = new Lifecycle({ logger: false })
    const component = consumer(pull, handle, { name: 'c' })
    expect(() => lifecycle.register(component)).not.toThrow()
    expect(component.priority).toBe(100)
  })
})

describe('default names (the name is an option)', () => {
  it("worker(): the loop function's own name, else 'worker'", () => {
    expect(worker(async function poll() {}).name).toBe('poll')
    const refresh = async (): Promise<void> => {}
    expect(worker(refresh).name).toBe('refresh')
    expect(worker(async () => {}).name).toBe(DEFAULTS.workers.workerName)
    expect(worker(async function poll() {}, { name: 'other' }).name).toBe('other')
  })

  it("consumer(): 'consumer'", () => {
    expect(consumer(pull, handle).name).toBe(DEFAULTS.workers.consumerName)
    expect(consumer(pull, handle, { name: 'jobs' }).name).toBe('jobs')
  })

  it('two components with one default name: register() refuses the second and says to pass `name`', () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(worker(async () => {}))
    expect(() => lifecycle.register(worker(async () => {}))).toThrow(
      "Expected `name` of component `worker` to be unique, got a duplicate: `worker` (a component registered earlier has it: pass each its own `name` option, as in `worker(loop, { name: 'worker-2' })`)",
    )
    lifecycle.register(consumer(pull, handle))
    expect(() => lifecycle.register(consumer(pull, handle))).toThrow(
      /duplicate: `consumer` .* own `name` option/,
    )
  })
})
