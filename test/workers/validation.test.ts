import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, InvalidStateError, Lifecycle } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

const loop = async (): Promise<void> => {}
const handle = (): void => {}
const pull = { next: () => undefined }

describe('worker() input', () => {
  it.each([
    [() => worker('', loop), /`name` of `worker\(\)` to be a non-empty string/],
    [() => worker('w', 'nope' as never), /`loop` of worker `w` to be a function, got `"nope"` \(string\)/],
    [() => worker('w', loop, null as never), /`options` of worker `w` to be an object/],
    [() => worker('w', loop, { timeout: -1 }), /`timeout` of worker `w` to be a non-negative finite number/],
    [() => worker('w', loop, { priority: Number.NaN }), /`priority` of worker `w` to be a finite number/],
    [() => worker('w', loop, { onCrash: 'exit' as never }), /`onCrash` of worker `w`/],
    [
      () => worker('w', loop, { lifecycle: {} } as never),
      /Unknown option `lifecycle` in `options` of worker `w`/,
    ],
    [() => worker('w', loop, { logger: {} as never }), /`logger` of worker `w`/],
    [() => worker('w', loop, { timout: 5 } as never), /Unknown option `timout` in `options` of worker `w`/],
  ])('throws a TypeError naming the worker and the field (%#)', (call, message) => {
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(message)
  })
})

describe('consumer() input', () => {
  it.each([
    [() => consumer('', { source: pull, handle }), /`name` of `consumer\(\)`/],
    [() => consumer('c', undefined as never), /`options` of consumer `c` to be an object/],
    [
      () => consumer('c', { source: pull, handle, concurrency: 0 }),
      /`concurrency` of consumer `c` to be a positive integer, got `0`/,
    ],
    [
      () => consumer('c', { source: pull, handle, concurrency: 1.5 }),
      /`concurrency` of consumer `c` to be a positive integer/,
    ],
    [() => consumer('c', { source: pull, handle, highWaterMark: -2 }), /`highWaterMark` of consumer `c`/],
    [
      () => consumer('c', { source: pull, handle, drain: 'everything' as never }),
      /Expected `drain` of consumer `c` to be `'in-flight'` or `'all'`, got `"everything"` \(string\)/,
    ],
    [
      () => consumer('c', { source: pull, handle, drain: true as never }),
      /`drain` of consumer `c` to be `'in-flight'` or `'all'`, got `true` \(boolean\)/,
    ],
    [
      () => consumer('c', { source: pull, handle, pollInterval: Number.POSITIVE_INFINITY }),
      /`pollInterval` of consumer `c`/,
    ],
    [
      () => consumer('c', { source: pull, handle: undefined as never }),
      /`handle` of consumer `c` to be a function/,
    ],
    [() => consumer('c', { source: 'queue' as never, handle }), /`source` of consumer `c` to be an object/],
    [
      () => consumer('c', { source: { next: 1 } as never, handle }),
      /`source.next` of consumer `c` to be a function/,
    ],
    [
      () => consumer('c', { source: {} as never, handle }),
      /`source.requeue` of consumer `c` to be a function \(a push source/,
    ],
    [
      () => consumer('c', { source: { ...pull, ack: true } as never, handle }),
      /`source.ack` of consumer `c` to be a function/,
    ],
    [
      () => consumer('c', { source: pull, handle, onError: 'log' as never }),
      /`onError` of consumer `c` to be a function/,
    ],
    [() => consumer('c', { source: pull, handle, concurrenc: 2 } as never), /Unknown option `concurrenc`/],
  ])('throws a TypeError naming the consumer and the field (%#)', (call, message) => {
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(message)
  })

  it('refuses push() on a pull consumer and before the start', () => {
    const pulling = consumer('c', { source: pull, handle })
    expect(() => (pulling as { push(item: unknown): boolean }).push(1)).toThrow(InvalidStateError)
    const pushing = consumer<number>('p', { source: { requeue: () => {} }, handle })
    expect(() => pushing.push(1)).toThrow(/`p`: it has not started/)
  })

  it('is a component that register() accepts, at Priority.WORKERS', () => {
    const lifecycle = new Lifecycle({ logger: false })
    const component = consumer('c', { source: pull, handle })
    expect(() => lifecycle.register(component)).not.toThrow()
    expect(component.priority).toBe(100)
  })
})
