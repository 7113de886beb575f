import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
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
  CheckTimeoutError: new root.CheckTimeoutError('db', 1_000),
  CheckFalseError: new root.CheckFalseError('db'),
  CheckAbandonedError: new root.CheckAbandonedError('db'),
  ClusterWorkerError: new root.ClusterWorkerError([3], 'worker 3 exited (1) before it was ready'),
  MissingPeerError: new root.MissingPeerError('@opentelemetry/api', 'install it'),
  TestSetupError: new root.TestSetupError('the command exited before it listened'),
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

  it('WorkerCrashedError and SourceCallError come from the root only (one errors.ts)', () => {
    expect('WorkerCrashedError' in workers).toBe(false)
    expect('SourceCallError' in workers).toBe(false)
    expect(samples.WorkerCrashedError).toMatchObject({ code: 'GL_ERR_WORKER_CRASHED', worker: 'loop' })
    expect(samples.TrackedWorkError?.message).toBe('1 of 2 tracked tasks failed')
  })
})

describe('every error the package throws has a code', () => {
  it('InvalidStateError is a state error (a LifecycleError), not a TypeError', () => {
    const error = new root.InvalidStateError('late')
    expect(error).toBeInstanceOf(root.LifecycleError)
    expect(error).not.toBeInstanceOf(TypeError)
    expect(error.code).toBe(ErrorCode.INVALID_STATE)
    // Bad input stays a TypeError with a code.
    expect(new root.InvalidArgumentError('bad')).toBeInstanceOf(TypeError)
  })

  it('no file of src/ outside core/errors.ts builds a bare Error, TypeError or RangeError', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url))
    // A report read back from JSON or from a console log rebuilds the errors it holds: thrown by no
    // one, they carry the name (and code) they were saved with.
    const allowed = new Set([
      'core/report/from-json.ts:reviveError',
      'cli/read-console.ts:reason',
      'cli/read-console.ts:hookDetails',
    ])
    const found: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.ts')) {
          const file = relative(src, path).split('\\').join('/')
          if (file === 'core/errors.ts') continue
          const lines = readFileSync(path, 'utf8').split('\n')
          let fn = ''
          lines.forEach((line, index) => {
            fn = /^(?:export )?(?:async )?function (\w+)/.exec(line)?.[1] ?? fn
            if (/\bnew (Error|TypeError|RangeError)\(|\bextends (Error|TypeError|RangeError)\b/.test(line)) {
              if (!allowed.has(`${file}:${fn}`)) found.push(`src/${file}:${index + 1}: ${line.trim()}`)
            }
          })
        }
      }
    }
    walk(src)
    expect(found).toEqual([])
  })
})
