import { DEFAULTS } from '../defaults.js'
import { InvalidArgumentError } from '../errors.js'
import { safeString } from '../foreign.js'
import { checkBoolean, checkDuration, checkKeys, fail, readOptions } from '../validate.js'

/** The signals `handleSignals()` can take over. `SIGBREAK` exists on Windows only and is skipped elsewhere. */
export type HandledSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR2' | 'SIGBREAK'

/** Ends the process with `code` (the default is `process.exit`). */
export type ExitFunction = (code: number) => void

/**
 * Options of `lifecycle.handleSignals()`.
 *
 * @example
 * ```ts
 * lifecycle.handleSignals({ signals: ['SIGTERM', 'SIGINT', 'SIGHUP'], errors: true, watchdog: 2_000 })
 * ```
 */
export interface HandleSignalsOptions {
  /** The signals that stop the lifecycle. @default DEFAULTS.signals.signals (['SIGTERM', 'SIGINT']) */
  readonly signals?: readonly HandledSignal[]
  /**
   * Called once with the exit code when the process should end: 0 after a clean stop, 1 after a
   * stop that was not clean or was caused by an error (a fatal error, a failed start's rollback),
   * 128 + the signal's number after a forced stop; a code the application set in
   * `process.exitCode` is kept (see docs/signals.md). With several lifecycles handling signals in
   * one process, it is called once every stop under way has ended, with the worst code.
   * `false`: stop, but never end the process. The default flushes the logger and
   * stdout/stderr first, then calls `process.exit(code)`; an injected function is called after
   * the same flush.
   * @default process.exit
   */
  readonly exit?: ExitFunction | false
  /**
   * Route `uncaughtException` and `unhandledRejection` into a stop with reason `{ type: 'error' }`
   * and exit code 1. An error raised during that stop is logged and does not start another.
   * @default false
   */
  readonly errors?: boolean
  /**
   * Ms after a stop settles before the watchdog reports what still keeps the event loop alive
   * (`process.getActiveResourcesInfo()`) and calls `exit`; while stdout/stderr are still draining
   * (less held than at its last look: a slow reader), it waits another period instead. Its timer is
   * unref'd: it never keeps the process alive. `false`: no watchdog.
   * @default DEFAULTS.signals.watchdog (1000)
   */
  readonly watchdog?: number | false
  /**
   * Ms after the first signal during which more signals are the same request (a burst, or one
   * Ctrl+C delivered both by the terminal and by a supervisor such as npm): they are ignored. A
   * signal after this window forces the stop; the same window follows the signal that forced.
   * @default DEFAULTS.signals.burstWindow (250)
   */
  readonly burstWindow?: number
  /**
   * Treat the IPC message `'shutdown'` (what PM2 sends on Windows, or with `shutdown_with_message`)
   * as SIGINT, when the process has an IPC channel (`process.send` exists).
   * @default true
   */
  readonly shutdownMessage?: boolean
}

/** Every signal `signals` accepts. SIGKILL and SIGSTOP cannot be caught; Node keeps SIGUSR1 for its inspector. */
export const HANDLED_SIGNALS: readonly HandledSignal[] = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR2',
  'SIGBREAK',
]

/**
 * @internal The one check of a signal name, for `handleSignals({ signals })` and
 * `clusterPrimary({ reloadOn })`: one of {@link HANDLED_SIGNALS} (SIGKILL and SIGSTOP cannot be
 * caught, SIGUSR1 is the inspector's, and a misspelt name would never fire).
 */
export function checkSignal(
  where: string,
  field: string,
  value: unknown,
  orElse = '',
): asserts value is HandledSignal {
  if (HANDLED_SIGNALS.includes(value as HandledSignal)) return
  const shown = typeof value === 'string' ? JSON.stringify(value) : safeString(value)
  throw new InvalidArgumentError(
    `Expected ${field} of ${where} to be one of ${HANDLED_SIGNALS.map((s) => `\`${s}\``).join(', ')}${orElse}, got ${shown} (${value === null ? 'null' : typeof value})`,
  )
}

/** @internal */
export interface ResolvedSignalOptions {
  readonly signals: readonly HandledSignal[]
  readonly exit: ExitFunction | false | undefined
  readonly errors: boolean
  readonly watchdog: number | false
  readonly burstWindow: number
  readonly shutdownMessage: boolean
}

const WHERE = '`handleSignals()`'
const KEYS = ['signals', 'exit', 'errors', 'watchdog', 'burstWindow', 'shutdownMessage']

/** @internal Unknown keys and bad values throw a TypeError naming the field. */
export function resolveSignalOptions(options: unknown): ResolvedSignalOptions {
  if (options === undefined) options = {}
  const o = readOptions(WHERE, 'options', options, KEYS) as HandleSignalsOptions
  checkKeys(WHERE, 'options', o, KEYS)
  let signals = DEFAULTS.signals.signals
  if (o.signals !== undefined) {
    if (!Array.isArray(o.signals) || o.signals.length === 0) {
      fail(WHERE, 'signals', 'a non-empty array of signal names', o.signals)
    }
    for (const signal of o.signals as unknown[]) checkSignal(WHERE, 'every entry of `signals`', signal)
    signals = [...new Set(o.signals)]
  }
  if (o.exit !== undefined && o.exit !== false && typeof o.exit !== 'function') {
    fail(WHERE, 'exit', 'a function `(code) => void` or `false`', o.exit)
  }
  if (o.errors !== undefined) checkBoolean(WHERE, 'errors', o.errors)
  if (o.shutdownMessage !== undefined) checkBoolean(WHERE, 'shutdownMessage', o.shutdownMessage)
  if (o.watchdog !== undefined && o.watchdog !== false) checkDuration(WHERE, 'watchdog', o.watchdog)
  if (o.burstWindow !== undefined) checkDuration(WHERE, 'burstWindow', o.burstWindow)
  return {
    signals,
    exit: o.exit,
    errors: o.errors ?? false,
    watchdog: o.watchdog ?? DEFAULTS.signals.watchdog,
    burstWindow: o.burstWindow ?? DEFAULTS.signals.burstWindow,
    shutdownMessage: o.shutdownMessage ?? true,
  }
}
