import { describe, expectTypeOf, test } from 'vitest'
import {
  type Component,
  type HookReport,
  type HookStartEvent,
  type HookStatus,
  Lifecycle,
  type LifecycleState,
  type PhaseReport,
  type PhaseStartEvent,
  type RunKind,
  type ShutdownError,
  type ShutdownReport,
  type StartContext,
  type StopContext,
  type StopReason,
} from '../../src/index.js'

// Checked by `tsc` (tsconfig.json includes test/); at run time these are no-ops.
describe('types', () => {
  const lifecycle = new Lifecycle({ logger: false })

  test('events carry typed payloads', () => {
    lifecycle.on('starting', (...args) => expectTypeOf(args).toEqualTypeOf<[]>())
    lifecycle.on('started', (...args) => expectTypeOf(args).toEqualTypeOf<[]>())
    lifecycle.on('stopping', (reason) => expectTypeOf(reason).toEqualTypeOf<StopReason>())
    lifecycle.on('phase:start', (event) => {
      expectTypeOf(event).toEqualTypeOf<PhaseStartEvent>()
      expectTypeOf(event.kind).toEqualTypeOf<RunKind>()
      expectTypeOf(event.hooks).toEqualTypeOf<readonly string[]>()
      expectTypeOf(event.name).toEqualTypeOf<string | undefined>()
    })
    lifecycle.on('phase:end', (phase, kind) => {
      expectTypeOf(phase).toEqualTypeOf<PhaseReport>()
      expectTypeOf(kind).toEqualTypeOf<'start' | 'stop'>()
    })
    lifecycle.on('hook:start', (event) => {
      expectTypeOf(event).toEqualTypeOf<HookStartEvent>()
      expectTypeOf(event.name).toBeString()
      expectTypeOf(event.priority).toBeNumber()
    })
    lifecycle.on('hook:end', (hook, kind) => {
      expectTypeOf(hook).toEqualTypeOf<HookReport>()
      expectTypeOf(hook.status).toEqualTypeOf<HookStatus>()
      expectTypeOf(kind).toEqualTypeOf<RunKind>()
    })
    lifecycle.on('stopped', (report) => expectTypeOf(report).toEqualTypeOf<ShutdownReport>())
    lifecycle.on('warning', (message) => expectTypeOf(message).toBeString())
    // @ts-expect-error: not an event of a Lifecycle
    lifecycle.on('stoped', () => {})
    // @ts-expect-error: `stopping` carries a StopReason, not a string
    lifecycle.emit('stopping', 'SIGTERM')
  })

  test('a stop hook gets { signal, reason, deadline, details }', () => {
    lifecycle.onStop('t', (context) => {
      expectTypeOf(context).toEqualTypeOf<StopContext>()
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>()
      expectTypeOf(context.reason).toEqualTypeOf<StopReason>()
      expectTypeOf(context.deadline).toBeNumber()
      expectTypeOf(context.details).toEqualTypeOf<Record<string, unknown>>()
    })
    lifecycle.register({
      name: 'c',
      stop: ({ signal, reason }) => {
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
        if (reason.type === 'signal') expectTypeOf(reason.signal).toEqualTypeOf<NodeJS.Signals>()
        if (reason.type === 'error') expectTypeOf(reason.error).toBeUnknown()
      },
    })
  })

  test('a start hook gets { signal, deadline } and nothing a stop hook has', () => {
    lifecycle.onStart('s', (context) => {
      expectTypeOf(context).toEqualTypeOf<StartContext>()
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>()
      expectTypeOf(context.deadline).toBeNumber()
      expectTypeOf(context).not.toHaveProperty('reason')
      expectTypeOf(context).not.toHaveProperty('details')
    })
  })

  test('the API returns what the contract says', () => {
    expectTypeOf(lifecycle.register).parameter(0).toEqualTypeOf<Component>()
    expectTypeOf(lifecycle.register).returns.toEqualTypeOf<() => void>()
    expectTypeOf(lifecycle.onStop).returns.toEqualTypeOf<() => void>()
    expectTypeOf(lifecycle.onStart).returns.toEqualTypeOf<() => void>()
    expectTypeOf(lifecycle.start).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(lifecycle.stop).returns.toEqualTypeOf<Promise<ShutdownReport>>()
    expectTypeOf(lifecycle.stop).parameter(0).toEqualTypeOf<StopReason | undefined>()
    expectTypeOf(lifecycle.state).toEqualTypeOf<LifecycleState>()
    expectTypeOf<LifecycleState>().toEqualTypeOf<'idle' | 'starting' | 'running' | 'stopping' | 'stopped'>()
    expectTypeOf(lifecycle.signal).toEqualTypeOf<AbortSignal>()
    expectTypeOf(lifecycle.track(Promise.resolve(1))).toEqualTypeOf<Promise<number>>()
    expectTypeOf(lifecycle.track(async (_signal: AbortSignal) => 'x')).toEqualTypeOf<Promise<string>>()
    expectTypeOf(lifecycle[Symbol.asyncDispose]).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf<ShutdownError['report']>().toEqualTypeOf<ShutdownReport>()
    expectTypeOf<HookStatus>().toEqualTypeOf<'ok' | 'error' | 'timeout' | 'skipped'>()
  })

  test('the report has exactly the documented fields', () => {
    type Fields<T> = { [K in keyof T as T[K] extends (...args: never) => unknown ? never : K]: T[K] }
    expectTypeOf<keyof Fields<ShutdownReport>>().toEqualTypeOf<
      'reason' | 'ok' | 'startedAt' | 'durationMs' | 'phases'
    >()
    expectTypeOf<keyof PhaseReport>().toEqualTypeOf<
      'kind' | 'priority' | 'name' | 'startMs' | 'durationMs' | 'hooks'
    >()
    expectTypeOf<keyof HookReport>().toEqualTypeOf<
      'name' | 'priority' | 'status' | 'startMs' | 'durationMs' | 'budgetMs' | 'error' | 'details'
    >()
    expectTypeOf<StopReason>().toEqualTypeOf<
      | { readonly type: 'manual' }
      | { readonly type: 'signal'; readonly signal: NodeJS.Signals }
      | { readonly type: 'error'; readonly error: unknown }
      | { readonly type: 'disposed' }
    >()
  })

  test('bad input is a type error too', () => {
    // @ts-expect-error: a name is required
    expectTypeOf(() => lifecycle.register({ stop: () => {} })).toBeFunction()
    // @ts-expect-error: unknown option
    expectTypeOf(() => new Lifecycle({ timeOut: 5 })).toBeFunction()
    // @ts-expect-error: not a StopReason
    expectTypeOf(() => lifecycle.stop({ type: 'sigterm' })).toBeFunction()
  })
})
