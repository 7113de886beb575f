import type { AddressInfo } from 'node:net'
import { InvalidArgumentError } from '../core/errors.js'
import type { ShutdownReport } from '../core/types.js'
import { CommandTarget, reportIn } from './command.js'
import { type ClientKind, Load, type RequestRecord } from './load.js'
import {
  type LifecycleTarget,
  type Resolved,
  resolveOptions,
  type ServerTarget,
  type TestShutdownOptions,
} from './options.js'
import { isFailure, type Outcome } from './outcome.js'

/** One client's requests, by outcome. */
export type OutcomeCounts = Readonly<Record<Outcome, number>>

/** What {@link testShutdown} saw. */
export interface ShutdownTestResult {
  /** Requests written to the service (both clients, before and after the signal). */
  readonly sent: number
  /** Requests answered with a status below 500. */
  readonly answered: number
  /** Requests written and lost (reset, hung up, cut short) or answered with a 5xx, over the whole run. */
  readonly failed: number
  /** Of those, the ones that ended after the signal: what a graceful shutdown must keep at 0. */
  readonly failedAfterSignal: number
  /** Connections refused after the signal: expected once the listener has closed (nothing was sent). */
  readonly refusedAfterSignal: number
  /** Requests written and not yet answered when the signal was sent. */
  readonly inFlightAtSignal: number
  /** Answered while the service was stopping (after the signal). */
  readonly answeredAfterSignal: number
  /** Each client's requests, by outcome. */
  readonly byClient: Readonly<Record<ClientKind, OutcomeCounts>>
  /** The failed requests (the first 50), with their times relative to the signal. */
  readonly failures: readonly RequestRecord[]
  /** The command's exit code; in process, what `handleSignals()` would exit with (0 when the stop was clean). */
  readonly exitCode: number | null
  /** The signal that ended the command, if one did (`SIGKILL` after `timeout`). */
  readonly exitSignal: NodeJS.Signals | null
  /** From the signal to the exit (in process: to the end of `stop()`), in ms. */
  readonly timeToExitMs: number
  /** The service outlived `timeout` and was killed. */
  readonly timedOut: boolean
  /** In process: the stop's report. */
  readonly report: ShutdownReport | undefined
  /** From a command: the report table it logged, when it logged one. */
  readonly reportText: string | undefined
  /** In process: the server still listened after the stop. */
  readonly stillListening: boolean
  /** From a command: everything it wrote to stdout and stderr. */
  readonly output: string
}

const OUTCOMES: readonly Outcome[] = [
  'ok',
  'status',
  'refused',
  'closedBeforeSend',
  'reset',
  'hangup',
  'truncated',
]

/**
 * Proves that a service shuts down cleanly: starts it (a command, or an in-process lifecycle and
 * server), drives keep-alive load from a raw-socket client and an `http.Agent` client, sends the
 * signal (in process: calls `lifecycle.stop()`) while the load goes on, at a moment when a request
 * is in flight (after `loadBefore`, waiting at most `loadBefore` more for one), waits for the exit,
 * and says what happened. Nothing is retried: every request written and not answered is counted.
 * Pair it with {@link assertCleanShutdown}.
 *
 * @example
 * ```ts
 * import { assertCleanShutdown, testShutdown } from 'graceful-lifecycle/testing'
 *
 * test('SIGTERM loses no request', async () => {
 *   const result = await testShutdown({ command: ['node', 'dist/server.js'], env: { PORT: '0' }, path: '/slow' })
 *   assertCleanShutdown(result, { maxTimeToExitMs: 10_000 })
 * })
 * ```
 */
export async function testShutdown(options: TestShutdownOptions): Promise<ShutdownTestResult> {
  const settings = resolveOptions(options)
  return settings.command === undefined ? inProcess(settings) : command(settings)
}

function loadOn(settings: Resolved, port: number): Load {
  return new Load({
    host: settings.host,
    port,
    method: settings.method,
    path: settings.path,
    rawConnections: settings.rawConnections,
    agentSockets: settings.agentSockets,
    pauseMs: settings.pauseMs,
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function command(settings: Resolved): Promise<ShutdownTestResult> {
  const target = new CommandTarget(settings)
  const port = await target.port(settings.host, settings.port, settings.startTimeout)
  const load = loadOn(settings, port)
  await sleep(settings.loadBefore)
  try {
    await settings.during?.({ port, pid: target.pid, output: () => target.output })
  } catch (error) {
    target.kill()
    await load.stop(2_000)
    throw error
  }
  await load.untilInFlight(settings.loadBefore)
  const inFlight = load.inFlight
  const signalAt = target.signal(settings.signal)
  const exit = await target.waitExit(settings.timeout)
  await load.stop(2_000)
  return summarize(load, signalAt, inFlight, {
    exitCode: exit.code,
    exitSignal: exit.signal,
    timeToExitMs: Math.round(exit.at - signalAt),
    timedOut: exit.timedOut,
    report: undefined,
    reportText: reportIn(target.output),
    stillListening: false,
    output: target.output,
  })
}

async function inProcess(settings: Resolved): Promise<ShutdownTestResult> {
  // resolveOptions() refused a call without a command that lacks a lifecycle or a server.
  const lifecycle = settings.lifecycle as LifecycleTarget
  const server = settings.server as ServerTarget
  if (lifecycle.state === 'idle') await lifecycle.start()
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, settings.host, resolve))
  const port = (server.address() as AddressInfo | null)?.port
  if (typeof port !== 'number')
    throw new InvalidArgumentError('Expected `server` of `testShutdown()` to listen on a TCP port')
  const load = loadOn(settings, port)
  await sleep(settings.loadBefore)
  try {
    await settings.during?.({ port, pid: process.pid, output: () => '' })
  } catch (error) {
    await load.stop(2_000)
    throw error
  }
  await load.untilInFlight(settings.loadBefore)
  const inFlight = load.inFlight
  const signalAt = performance.now()
  let report: ShutdownReport | undefined
  let timedOut = false
  let timer: NodeJS.Timeout | undefined
  const stopped = lifecycle.stop({ type: 'signal', signal: settings.signal }).then(
    (value) => {
      report = value as ShutdownReport
    },
    (error: unknown) => {
      // A ShutdownError carries the report; anything else is the stop's own failure.
      report = (error as { report?: ShutdownReport }).report
    },
  )
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), settings.timeout)
  })
  timedOut = (await Promise.race([stopped, late])) === 'late'
  clearTimeout(timer)
  const endedAt = performance.now()
  const stillListening = server.listening
  await load.stop(2_000)
  return summarize(load, signalAt, inFlight, {
    exitCode: timedOut ? null : report?.ok === true ? 0 : 1,
    exitSignal: null,
    timeToExitMs: Math.round(endedAt - signalAt),
    timedOut,
    report,
    reportText: undefined,
    stillListening,
    output: '',
  })
}

type Exit = Pick<
  ShutdownTestResult,
  | 'exitCode'
  | 'exitSignal'
  | 'timeToExitMs'
  | 'timedOut'
  | 'report'
  | 'reportText'
  | 'stillListening'
  | 'output'
>

function summarize(load: Load, signalAt: number, inFlightAtSignal: number, exit: Exit): ShutdownTestResult {
  const records = load.records(signalAt)
  const counts = (client: ClientKind): OutcomeCounts => {
    const mine = records.filter((record) => record.client === client)
    return Object.fromEntries(
      OUTCOMES.map((outcome) => [outcome, mine.filter((r) => r.outcome === outcome).length]),
    ) as Record<Outcome, number>
  }
  const failures = records.filter((record) => isFailure(record.outcome))
  return {
    sent: records.filter((record) => record.sentMs !== undefined).length,
    answered: records.filter((record) => record.outcome === 'ok').length,
    failed: failures.length,
    failedAfterSignal: failures.filter((record) => record.endedMs >= 0).length,
    refusedAfterSignal: records.filter((record) => record.outcome === 'refused' && record.endedMs >= 0)
      .length,
    inFlightAtSignal,
    answeredAfterSignal: records.filter((record) => record.outcome === 'ok' && record.endedMs >= 0).length,
    byClient: { raw: counts('raw'), agent: counts('agent') },
    failures: failures.slice(0, 50),
    ...exit,
  }
}
