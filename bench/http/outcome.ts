/** How a request ended, seen from the client. */
export type Outcome =
  /** a full 200 response */
  | 'ok'
  /** ECONNREFUSED: never reached the server */
  | 'refused'
  /** the connection closed before we wrote the request: never reached the server */
  | 'closedBeforeSend'
  /** written, then ECONNRESET / EPIPE before any byte of the response */
  | 'reset'
  /** written, then a clean end of stream before any byte of the response */
  | 'hangup'
  /** written, part of the response received, then the connection ended */
  | 'truncated'
  /** a full response with a status other than 200 */
  | 'status'

export interface Result {
  outcome: Outcome
  /** the response said `Connection: close` */
  close: boolean
  /** performance.now() when the outcome was known */
  at: number
}

export type Tally = Record<Outcome, number> & { closeHeader: number }

export function emptyTally(): Tally {
  return {
    ok: 0,
    refused: 0,
    closedBeforeSend: 0,
    reset: 0,
    hangup: 0,
    truncated: 0,
    status: 0,
    closeHeader: 0,
  }
}

export function count(tally: Tally, result: Result): void {
  tally[result.outcome]++
  if (result.close) tally.closeHeader++
}

export function failedAfterSend(tally: Tally): number {
  return tally.reset + tally.hangup + tally.truncated
}

export function refusedBeforeSend(tally: Tally): number {
  return tally.refused + tally.closedBeforeSend
}

/** Short text of an outcome, for the S2 probe columns. */
export function describe(result: Result): string {
  if (result.outcome === 'ok') return result.close ? 'answered, `Connection: close`' : 'answered (keep-alive)'
  return {
    refused: 'refused (ECONNREFUSED)',
    closedBeforeSend: 'closed before send',
    reset: '**reset after send**',
    hangup: '**hang-up after send**',
    truncated: '**truncated**',
    status: 'non-200 answer',
  }[result.outcome]
}
