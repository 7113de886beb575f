import { describe, expect, expectTypeOf, it } from 'vitest'
import type { Component } from '../../src/index.js'
import {
  type Consumer,
  type ConsumerDrain,
  type ConsumerOptions,
  type ConsumerStats,
  consumer,
  type WorkerComponent,
  worker,
} from '../../src/workers/index.js'

interface Job {
  id: string
}

describe('types', () => {
  it('infers the item type from the source, for handle, push and the callbacks', () => {
    const jobs = consumer(
      {
        next: (): Job | undefined => undefined,
        requeue: (items) => expectTypeOf(items).toEqualTypeOf<Job[]>(),
      },
      (job, { signal }) => {
        expectTypeOf(job).toEqualTypeOf<Job>()
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
      },
      { name: 'jobs', onError: (_error, job) => expectTypeOf(job).toEqualTypeOf<Job>() },
    )
    expectTypeOf(jobs).toEqualTypeOf<Consumer<Job>>()
    expectTypeOf(jobs.push).parameter(0).toEqualTypeOf<Job>()
    expectTypeOf(jobs.stats).toEqualTypeOf<Readonly<ConsumerStats>>()
  })

  it('returns components that register() takes', () => {
    expectTypeOf(worker(async () => {}, { name: 'w' })).toEqualTypeOf<WorkerComponent>()
    expectTypeOf<WorkerComponent>().toExtend<Component>()
    expectTypeOf<Consumer<number>>().toExtend<Component>()
  })

  it("types `drain` as 'in-flight' | 'all'", () => {
    expectTypeOf<ConsumerOptions<Job>['drain']>().toEqualTypeOf<ConsumerDrain | undefined>()
    expectTypeOf<ConsumerDrain>().toEqualTypeOf<'in-flight' | 'all'>()
    const source = { next: (): Job | undefined => undefined }
    // @ts-expect-error not a drain mode (and refused at run time too)
    expect(() => consumer(source, () => {}, { name: 'jobs', drain: 'everything' })).toThrow(TypeError)
  })
})
