import { describe, expect, it } from 'vitest'
import * as root from '../../src/index.js'
import { ErrorCode, type ShutdownReport } from '../../src/index.js'
import * as workers from '../../src/workers/index.js'

const report: ShutdownReport = {
  reason: { type: 'manual' },
  ok: false,
  startedAt: 0,
  durationMs: 0,
  phases: [],
  toString: () => '',
  toTimeline: () => '',
  toHTML: () => '',
  toTrace: () => ({ traceEvents: [], displayTimeUnit: 'ms', otherData: {} }),
  toJSON: () => ({ reason: { type: 'manual' }, ok: false, startedAt: 0, durationMs: 0, phases: [] }),
}

/** One instance of every error class the root entry exports. */
const samples: Record<string, Error> = {
  InvalidArgumentError: new root.InvalidArgumentError('bad'),
  InvalidStateError: new root.InvalidStateError('late'),
  HookTimeoutError: new root.HookTimeoutError('db', 10, 'stop'),
  StopTimeoutError: new root.StopTimeoutError(['db'], 10),
  ForcedStopError: new root.ForcedStopError(['db']),
  StoppingError: new root.StoppingError({ type: 'manual' }),
  NonErrorThrownError: new root.NonErrorThrownError('db', 42),
  ShutdownError: new root.ShutdownError(report),
  StartError: new root.StartError(['db'], [new Error('x')], undefined, 'start failed'),
  TrackedWorkError: new root.TrackedWorkError([new Error('x')], 2),
  WorkerCrashedError: new root.WorkerCrashedError('loop', new Error('x'), false),
  SourceCallError: new root.SourceCallError([new Error('x')], 'jobs'),
  LifecycleError: new root.LifecycleError(ErrorCode.FORCED, 'base'),
}

describe('every error class lives in errors.ts with a code in ErrorCode', () => {
  const exported = Object.entries(root).filter(
    ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
  )

  it('the root entry exports each class, and this test has a sample of each', () => {
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(samples).sort())
  })

  it.each(Object.entries(samples))('%s has its name and a code from ErrorCode', (name, error) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf((root as unknown as Record<string, new () => Error>)[name])
    if (name !== 'LifecycleError') expect(error.name).toBe(name)
    expect(Object.values(ErrorCode)).toContain((error as Error & { code: string }).code)
  })

  it('codes are distinct: one class per code (the base class borrows one)', () => {
    const codes = Object.entries(samples)
      .filter(([name]) => name !== 'LifecycleError')
      .map(([, error]) => (error as Error & { code: string }).code)
    expect(new Set(codes).size).toBe(codes.length)
    expect(new Set(Object.values(ErrorCode)).size).toBe(Object.values(ErrorCode).length)
    expect(codes.sort()).toEqual(Object.values(ErrorCode).sort())
  })

  it('/workers re-exports the same WorkerCrashedError class, not a copy', () => {
    expect(workers.WorkerCrashedError).toBe(root.WorkerCrashedError)
    expect(samples.WorkerCrashedError).toMatchObject({ code: 'GL_ERR_WORKER_CRASHED', worker: 'loop' })
    expect(samples.TrackedWorkError?.message).toBe('1 of 2 tracked tasks failed')
  })
})
