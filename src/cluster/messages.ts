import type { ShutdownReportJSON } from '../core/types.js'

/** @internal The key every message between the primary and a worker carries. */
export const KEY = 'graceful-lifecycle:cluster'

/** @internal Primary → worker: stop your lifecycle (`signal`: what the primary received). */
export interface StopMessage {
  readonly [KEY]: 'stop'
  readonly signal: NodeJS.Signals
}

/** @internal Worker → primary. */
export type WorkerMessage =
  | { readonly [KEY]: 'started' }
  | { readonly [KEY]: 'report'; readonly report: ShutdownReportJSON }

/** @internal */
export function isMessage(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[KEY] === kind
}
