import type { ShutdownReport } from '../types.js'

/** `process.exitCode` as a number, when the application (or an earlier stop) set one. */
function currentExitCode(): number | undefined {
  const code: unknown = process.exitCode
  if (typeof code === 'number' && Number.isInteger(code)) return code
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code)
  return undefined
}

/**
 * @internal The one rule for the exit code of a stop that was not forced, on every path (the exit
 * after a signal's stop, the watchdog, a natural exit): a clean stop keeps the code the application
 * set (`process.exitCode = 3` stays 3), 0 when it set none; a stop that was not clean exits 1, unless
 * the application set a non-zero code, which it keeps.
 */
export function exitCodeFor(clean: boolean): number {
  const set = currentExitCode()
  if (clean) return set ?? 0
  return set !== undefined && set !== 0 ? set : 1
}

/**
 * @internal A stop is clean when every hook ended `ok` and it was not caused by an error: the
 * rollback of a failed start (reason `{ type: 'error' }`) is never clean, whatever its hooks did.
 */
export function isClean(report: ShutdownReport): boolean {
  return report.ok && report.reason.type !== 'error'
}
