/**
 * Named stop tiers. Higher priority stops earlier; start runs in the opposite order.
 * Any finite number is allowed in between (`Priority.INGRESS + 10` stops just before the HTTP servers).
 *
 * @example
 * ```ts
 * lifecycle.onStop('pool', () => pool.end(), { priority: Priority.RESOURCES })
 * ```
 */
export const Priority = {
  /** 1st: flip readiness to failing; wait for load balancers to stop routing here. */
  DRAIN: 300,
  /** 2nd: stop taking new work (HTTP/HTTP2/WebSocket servers). */
  INGRESS: 200,
  /** 3rd: queue consumers, schedulers, background tasks: finish what is in flight. */
  WORKERS: 100,
  /** 4th: hooks registered without a priority. */
  DEFAULT: 0,
  /** 5th: DB pools, caches, broker connections. */
  RESOURCES: -100,
  /** Last: flush logs, metrics, traces. */
  TELEMETRY: -200,
} as const

/** One of the named tiers of {@link Priority}. */
export type PriorityName = keyof typeof Priority

const names = new Map<number, PriorityName>(
  (Object.entries(Priority) as [PriorityName, number][]).map(([name, value]) => [value, name]),
)

/** The tier name of a priority (`'INGRESS'` for 200), or `undefined` for a value between tiers. */
export function priorityName(priority: number): PriorityName | undefined {
  return names.get(priority)
}
