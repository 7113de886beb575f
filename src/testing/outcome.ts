/**
 * How one request of the load ended. Only `ok` and `status` were answered. `refused` and
 * `closedBeforeSend` sent nothing (the listener or the connection was already closed: a client
 * reconnects or goes elsewhere); `reset`, `hangup` and `truncated` lost a request that was sent.
 */
export type Outcome = 'ok' | 'status' | 'refused' | 'closedBeforeSend' | 'reset' | 'hangup' | 'truncated'

/** @internal */
export interface Result {
  readonly outcome: Outcome
  /** The response said `Connection: close`. */
  readonly close: boolean
  /** performance.now() when it ended. */
  readonly at: number
  /** performance.now() when it was written (undefined when nothing was). */
  readonly sentAt: number | undefined
  /** performance.now() when the connection it went on was opened (undefined when it never got one). */
  readonly connectedAt: number | undefined
}

/**
 * A request that was sent and not answered, or answered with a 5xx: what a clean shutdown must not cause.
 *
 * @example
 * ```ts
 * const lost = result.failures.filter((request) => isFailure(request.outcome))
 * ```
 */
export function isFailure(outcome: Outcome): boolean {
  return outcome === 'status' || outcome === 'reset' || outcome === 'hangup' || outcome === 'truncated'
}
