import { DEFAULTS } from '../core/defaults.js'
import type { Component } from '../core/types.js'
import { fail, whileReading } from '../core/validate.js'
import { drainThenClose, frameworkOptions } from '../frameworks/drain-then-close.js'
import { httpServer } from '../http/index.js'
import type { ServerLike } from '../http/types.js'
import type { NestjsAppLike, NestjsAppOptions } from './types.js'

export type { NestjsAppLike, NestjsAppOptions } from './types.js'

const WHERE = '`nestjsApp()`'
const KEYS = [
  'name',
  'priority',
  'timeout',
  'closeTimeout',
  'idleGrace',
  'requestAbortLead',
  'webSocketServer',
  'webSocketReason',
]

/**
 * A component (default name `nestjs`, priority `Priority.INGRESS`) that stops a NestJS app: use it
 * **instead of `app.enableShutdownHooks()`**, with `lifecycle.handleSignals()`, and call it before
 * `app.listen()`. (Nest's shutdown hooks re-send the signal to the process once `app.close()` ends,
 * which a signal handler takes for a second signal: it forces the stop. `nestjsApp()` refuses an app
 * on which they are enabled.)
 *
 * On stop: the HTTP server (`app.getHttpServer()`, Express or Fastify adapter) is drained through
 * `httpServer()`'s stop hook, so requests in flight finish while every provider is still up (Nest's
 * own `close()` destroys the modules first and closes the server after); then
 * `app.close(signal)` runs `onModuleDestroy`, `beforeApplicationShutdown(signal)` and
 * `onApplicationShutdown(signal)`. The drain gets the budget minus `closeTimeout`; the report's
 * `details` hold the drain's counts plus `drainMs` and `closeMs`. An application context
 * (`createApplicationContext()`, no server) is only closed.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule)
 * lifecycle.register(nestjsApp(app, { timeout: 15_000 }))
 * lifecycle.handleSignals()
 * await app.listen(3000)
 * ```
 */
export function nestjsApp(app: NestjsAppLike, options?: NestjsAppOptions): Component {
  const listening = whileReading(WHERE, 'app', () => (isNest(app) ? shutdownSignals(app) : undefined))
  if (listening === undefined) fail(WHERE, 'app', 'a NestJS application (with `close()`)', app)
  if (listening.length > 0) {
    fail(
      WHERE,
      'app',
      'an app without `enableShutdownHooks()` (the lifecycle handles the signals: Nest would re-send them after its close, which forces the stop)',
      // All of them (no argument) are a dozen names: too long for the message, which would cut one.
      listening.length > 3
        ? `listening to ${listening.length} signals (${listening.slice(0, 3).join(', ')}, …)`
        : `listening to ${listening.join(', ')}`,
    )
  }
  const { name, at, http, budgets } = frameworkOptions(WHERE, options, KEYS, DEFAULTS.nestjs)
  const server = whileReading(WHERE, 'app', () =>
    typeof app.getHttpServer === 'function' ? app.getHttpServer() : undefined,
  )
  if (server === undefined && Object.keys(http).length > 0) {
    fail(at, 'options', 'without HTTP options (the app has no HTTP server)', Object.keys(http))
  }
  return drainThenClose({
    name,
    ...budgets,
    // httpServer() checks the server and the other options.
    drain: server === undefined ? undefined : httpServer(server as ServerLike, { ...http, name }),
    close: ({ reason }) => app.close(reason.type === 'signal' ? reason.signal : undefined),
  })
}

function isNest(value: unknown): value is NestjsAppLike {
  return value !== null && typeof value === 'object' && typeof (value as NestjsAppLike).close === 'function'
}

/**
 * What `enableShutdownHooks()` subscribed to: Nest 10 and 11 keep the signals in
 * `activeShutdownSignals` (an array), Nest 12 in `shutdownCleanupRefs` (a Map keyed by signal).
 */
function shutdownSignals(app: NestjsAppLike): string[] {
  const fields = app as { activeShutdownSignals?: unknown; shutdownCleanupRefs?: unknown }
  const refs = fields.shutdownCleanupRefs
  const signals = refs instanceof Map ? [...refs.keys()] : fields.activeShutdownSignals
  return Array.isArray(signals)
    ? signals.filter((signal): signal is string => typeof signal === 'string')
    : []
}
