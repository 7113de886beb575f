import { HookTimeoutError } from '../core/errors.js'
import { Priority } from '../core/priority.js'
import type { Component, StopContext } from '../core/types.js'
import { checkDuration, checkFinite, checkKeys, checkName, readOptions } from '../core/validate.js'

/** @internal What a framework component is made of. */
export interface DrainThenClose {
  readonly name: string
  readonly priority: number
  readonly timeout: number | undefined
  /** The part of the budget kept for `close`; at most half of what is left when the stop hook runs. */
  readonly closeTimeout: number
  /** The `httpServer()` component of the framework's server, or `undefined` when it has none. */
  readonly drain: Component | undefined
  /** The framework's own close (`app.close()`), run once the drain has ended. */
  readonly close: (context: StopContext) => unknown
}

/**
 * @internal One component that drains the framework's server through `httpServer()`'s stop hook,
 * then runs the framework's close, within one budget. The drain gets the budget minus the close's
 * share: when that runs out, the drain destroys what is left and the close still gets its time.
 */
export function drainThenClose(parts: DrainThenClose): Component {
  const { drain, close, closeTimeout } = parts
  const component: Component = {
    name: parts.name,
    priority: parts.priority,
    ...(parts.timeout === undefined ? {} : { timeout: parts.timeout }),
    stop: async (context) => {
      const started = performance.now()
      let outOfTime: HookTimeoutError | undefined
      if (drain?.stop) {
        const share = drainShare(parts.name, context, closeTimeout)
        try {
          await drain.stop(share.context)
        } finally {
          share.end()
        }
        const reason: unknown = share.context.signal.reason
        if (reason instanceof HookTimeoutError) outOfTime = reason
      }
      const closing = performance.now()
      context.details.drainMs = Math.round(closing - started)
      await close(context)
      context.details.closeMs = Math.round(performance.now() - closing)
      // The close ran, but connections were cut: the report must not call that a clean stop.
      if (outOfTime) throw outOfTime
    },
  }
  if (drain === undefined) return component
  // The server is claimed the way `httpServer()` claims it, once this component is registered.
  return {
    ...component,
    ...(drain.attach === undefined ? {} : { attach: drain.attach }),
    ...(drain.checkBudget === undefined ? {} : { checkBudget: drain.checkBudget }),
  }
}

/** The drain's share of the hook's context: its own deadline and signal, the same details. */
function drainShare(
  name: string,
  context: StopContext,
  closeTimeout: number,
): { context: StopContext; end: () => void } {
  const left = Math.max(0, context.deadline - Date.now())
  const reserve = Math.min(closeTimeout, left / 2)
  const deadline = context.deadline - reserve
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(context.signal.reason)
  const share = Math.max(0, left - reserve)
  const timer = setTimeout(
    () => controller.abort(new HookTimeoutError(`${name} (drain)`, Math.round(share), 'stop')),
    share,
  )
  const end = (): void => {
    clearTimeout(timer)
    context.signal.removeEventListener('abort', onAbort)
  }
  if (context.signal.aborted) onAbort()
  else context.signal.addEventListener('abort', onAbort, { once: true })
  return {
    context: { signal: controller.signal, reason: context.reason, deadline, details: context.details },
    end,
  }
}

/** @internal The options every framework component shares, checked; the rest go to `httpServer()`. */
export interface FrameworkOptions {
  readonly name: string
  /** `component \`<name>\``, for errors about the other options. */
  readonly at: string
  /** What `drainThenClose()` takes besides the name, the drain and the close. */
  readonly budgets: {
    readonly priority: number
    readonly timeout: number | undefined
    readonly closeTimeout: number
  }
  readonly http: Record<string, unknown>
}

/** @internal Checks the options of `fastifyApp()` / `nestjsApp()` at the call; unknown keys are refused. */
export function frameworkOptions(
  where: string,
  options: unknown,
  keys: readonly string[],
  defaults: { readonly name: string; readonly closeTimeout: number },
): FrameworkOptions {
  const given = readOptions(where, 'options', options === undefined ? {} : options, keys)
  const { name, priority, timeout, closeTimeout, ...http } = given as Record<string, unknown>
  if (name !== undefined) checkName(where, 'name', name)
  const resolved = (name as string | undefined) ?? defaults.name
  const at = `component \`${resolved}\``
  checkKeys(at, 'options', given, keys)
  if (priority !== undefined) checkFinite(at, 'priority', priority)
  if (timeout !== undefined) checkDuration(at, 'timeout', timeout)
  if (closeTimeout !== undefined) checkDuration(at, 'closeTimeout', closeTimeout)
  return {
    name: resolved,
    at,
    budgets: {
      priority: (priority as number | undefined) ?? Priority.INGRESS,
      timeout: timeout as number | undefined,
      closeTimeout: (closeTimeout as number | undefined) ?? defaults.closeTimeout,
    },
    http,
  }
}
