import { AssertionError } from 'node:assert'
import { checkDuration, checkKeys, checkObject, fail, readOptions } from '../core/validate.js'
import type { ShutdownTestResult } from './test-shutdown.js'

const EXPECTED_KEYS = ['exitCode', 'maxTimeToExitMs', 'maxFailed', 'minInFlightAtSignal']

/** What {@link assertCleanShutdown} expects beyond the defaults. */
export interface CleanShutdownExpectations {
  /** @default 0 */
  readonly exitCode?: number
  /** The longest the exit may take after the signal, in ms. @default no limit (but `timeout` of `testShutdown()`) */
  readonly maxTimeToExitMs?: number
  /** Requests written and lost, or answered with a 5xx, that are tolerated. @default 0 */
  readonly maxFailed?: number
  /** Requests that must have been in flight at the signal (use a slow `path`). @default 0 */
  readonly minInFlightAtSignal?: number
}

/**
 * Throws an `AssertionError` (node:assert's: vitest, node:test, jest and mocha all report it)
 * unless the shutdown was clean: the load reached the service, no request written was lost or
 * answered with a 5xx, the exit code is the one expected, the exit came in time, the stop's
 * report (in process) is ok and its server no longer listens. The message lists what was wrong,
 * the failed requests, and the service's report.
 *
 * @example
 * ```ts
 * import { test } from 'node:test'
 * import { assertCleanShutdown, testShutdown } from 'graceful-lifecycle/testing'
 *
 * test('drains on SIGTERM', async () => {
 *   assertCleanShutdown(await testShutdown({ lifecycle, server, path: '/slow' }), { minInFlightAtSignal: 1 })
 * })
 * ```
 */
export function assertCleanShutdown(result: ShutdownTestResult, expected?: CleanShutdownExpectations): void {
  const where = '`assertCleanShutdown()`'
  checkObject(where, 'result', result)
  if (typeof result.failed !== 'number' || typeof result.byClient !== 'object') {
    fail(where, 'result', 'what `testShutdown()` resolved with', result)
  }
  if (expected !== undefined) {
    expected = readOptions(where, 'expected', expected, EXPECTED_KEYS)
    checkKeys(where, 'expected', expected, EXPECTED_KEYS)
    for (const key of ['maxTimeToExitMs', 'maxFailed', 'minInFlightAtSignal'] as const) {
      if (expected[key] !== undefined) checkDuration(where, key, expected[key])
    }
    if (expected.exitCode !== undefined && !Number.isInteger(expected.exitCode)) {
      fail(where, 'exitCode', 'an integer', expected.exitCode)
    }
  }
  const exitCode = expected?.exitCode ?? 0
  const maxFailed = expected?.maxFailed ?? 0
  const problems: string[] = []
  if (result.answered === 0) problems.push('no request was answered: the load never reached the service')
  if (result.failed > maxFailed) {
    problems.push(
      `${result.failed} requests were lost or answered with a 5xx (${result.failedAfterSignal} after the signal); at most ${maxFailed} allowed`,
    )
  }
  if (result.timedOut)
    problems.push(`the service did not exit within the timeout (${result.timeToExitMs} ms) and was killed`)
  else if (result.exitCode !== exitCode) {
    problems.push(
      `exit code ${result.exitCode}${result.exitSignal ? ` (${result.exitSignal})` : ''}, expected ${exitCode}`,
    )
  }
  if (expected?.maxTimeToExitMs !== undefined && result.timeToExitMs > expected.maxTimeToExitMs) {
    problems.push(`it took ${result.timeToExitMs} ms to exit, more than ${expected.maxTimeToExitMs} ms`)
  }
  if (expected?.minInFlightAtSignal !== undefined && result.inFlightAtSignal < expected.minInFlightAtSignal) {
    problems.push(
      `${result.inFlightAtSignal} requests were in flight at the signal, fewer than ${expected.minInFlightAtSignal}: use a slower \`path\``,
    )
  }
  if (result.stillListening) problems.push('the server still listens after the stop')
  if (problems.length === 0) return
  const failures = result.failures
    .slice(0, 10)
    .map(
      (record) =>
        `  ${record.client} ${record.outcome}, sent at ${record.sentMs ?? '?'} ms, ended at ${record.endedMs} ms`,
    )
  const report = result.report?.toString() ?? result.reportText
  const message = [
    `The shutdown was not clean:\n- ${problems.join('\n- ')}`,
    `sent ${result.sent}, answered ${result.answered}, in flight at the signal ${result.inFlightAtSignal}, refused after it ${result.refusedAfterSignal}`,
    ...(failures.length > 0 ? ['failed requests (ms from the signal):', ...failures] : []),
    ...(report
      ? ["the service's report:", report]
      : result.output
        ? ['its output:', result.output.slice(-2_000)]
        : []),
  ].join('\n')
  throw new AssertionError({
    message,
    actual: result.failed,
    expected: maxFailed,
    operator: 'assertCleanShutdown',
  })
}
