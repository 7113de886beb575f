import { DEFAULTS } from '../core/defaults.js'
import { InvalidArgumentError } from '../core/errors.js'
import { Priority } from '../core/priority.js'
import { runtimeLabel } from '../core/runtime.js'
import type { Component, StopContext } from '../core/types.js'
import { checkDuration, checkFinite, checkKeys, checkName, readOptions } from '../core/validate.js'

const OPTION_KEYS = ['name', 'priority', 'timeout']

/** @internal What `bunServer()` and `denoServer()` take: `BunServerOptions`, `DenoServerOptions`. */
export interface NativeServerOptions {
  /** Component name, unique in its lifecycle. @default DEFAULTS.http.name ('http') */
  readonly name?: string
  /** @default Priority.INGRESS */
  readonly priority?: number
  /** The drain's budget in ms; when it runs out, what is left is forced closed (where the runtime can). @default the lifecycle's `hookTimeout` */
  readonly timeout?: number
}

/**
 * @internal What the hook's report `details` hold for `bunServer()` and `denoServer()`
 * (`BunDrainDetails`, `DenoDrainDetails`, one per entry point).
 */
export interface NativeDrainDetails {
  /** `bun 1.4.5`, `deno 2.9.6`. */
  runtime: string
  /** Requests in flight when the drain began (Bun: `server.pendingRequests`; Deno does not expose it). */
  inFlight?: number
  /** WebSockets open when the drain began (Bun: `server.pendingWebSockets`). */
  webSockets?: number
  /** The hook's signal aborted before every connection had closed: what was left was forced closed (or, where the runtime cannot, left to the process exit). */
  forced: boolean
  /** What the drain cannot do on this runtime, one sentence each (docs/runtimes.md). */
  degraded: string[]
}

/** @internal What a native server's component does; each runtime's entry fills it in. */
export interface NativeDrain {
  /** Stops listening and resolves once every connection has closed. */
  graceful(): Promise<unknown>
  /** Closes what is left at once; `false` where the runtime has no way to. */
  force(): boolean
  /** Counts known when the drain begins. */
  counts(): Pick<NativeDrainDetails, 'inFlight' | 'webSockets'>
  readonly degraded: readonly string[]
}

/** @internal Checks the options at the call; unknown keys are refused. */
export function resolveNativeOptions(
  where: string,
  options: unknown,
): { name: string; priority: number; timeout: number | undefined } {
  const o = readOptions(
    where,
    'options',
    options === undefined ? {} : options,
    OPTION_KEYS,
  ) as NativeServerOptions
  if (o.name !== undefined) checkName(where, 'name', o.name)
  const name = o.name ?? DEFAULTS.http.name
  const at = `component \`${name}\``
  checkKeys(at, 'options', o, OPTION_KEYS)
  if (o.priority !== undefined) checkFinite(at, 'priority', o.priority)
  if (o.timeout !== undefined) checkDuration(at, 'timeout', o.timeout)
  return { name, priority: o.priority ?? Priority.INGRESS, timeout: o.timeout }
}

/** Servers held by a registered `bunServer()` / `denoServer()` component. */
const claimed = new WeakSet<object>()

/**
 * @internal The component: the stop hook stops the server gracefully and waits for its connections;
 * at the hook's abort it forces what is left. Readiness needs nothing here: `health()` turns 503 the
 * moment the stop begins, before this hook runs.
 */
export function nativeComponent(
  where: string,
  server: object,
  resolved: { name: string; priority: number; timeout: number | undefined },
  drain: NativeDrain,
): Component {
  const refuse = (): InvalidArgumentError =>
    new InvalidArgumentError(
      `Expected \`server\` of ${where} to be tracked once, got a server already registered with another component`,
    )
  if (claimed.has(server)) throw refuse()
  let stopping: Promise<void> | undefined
  return {
    name: resolved.name,
    priority: resolved.priority,
    ...(resolved.timeout === undefined ? {} : { timeout: resolved.timeout }),
    stop: (context) => {
      stopping ??= run(drain, context)
      return stopping
    },
    attach: () => {
      if (claimed.has(server)) throw refuse()
      claimed.add(server)
      return () => {
        claimed.delete(server)
      }
    },
  }
}

async function run(drain: NativeDrain, { signal, details }: StopContext): Promise<void> {
  const counts = drain.counts()
  const shown: NativeDrainDetails = {
    runtime: runtimeLabel(),
    ...(counts.inFlight === undefined ? {} : { inFlight: counts.inFlight }),
    ...(counts.webSockets === undefined ? {} : { webSockets: counts.webSockets }),
    forced: false,
    degraded: [...drain.degraded],
  }
  Object.assign(details, shown)
  let closed = false
  const graceful = drain.graceful().then(() => {
    closed = true
  })
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      if (closed) return
      details.forced = true
      // Where the runtime cannot close its connections, the process exit does: stop waiting.
      if (!drain.force()) resolve()
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    graceful.then(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
