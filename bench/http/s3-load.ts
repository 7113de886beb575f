/**
 * S3: keep-alive connections under full load (5 ms handler), trigger 1 s in, load goes on until the
 * server exits (or a cap); every request classified, and the server's unsent handlers counted.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { S3_CONNECTIONS, S3_HANDLER_MS, S3_LOAD_CAP_MS, S3_TRIGGER_AFTER_MS } from './config.js'
import { type ClientKind, Load } from './load.js'
import type { Tally } from './outcome.js'
import { ServerProcess } from './server-process.js'
import type { Variant } from './variants.js'

export interface S3Run {
  kind: ClientKind
  tally: Tally
  /** requests ended before the trigger (all should be ok) */
  beforeTrigger: number
  /** handlers that ran without their response being written ('finish') */
  unsent: number
  /** trigger → exit under load, ms; undefined when the server was still up at the cap */
  exitMs: number | undefined
  details: Record<string, unknown> | undefined
}

export async function runS3(variant: Variant, kind: ClientKind): Promise<S3Run> {
  const server = await ServerProcess.start(variant)
  const load = new Load(kind, server.port, S3_CONNECTIONS, `/?ms=${S3_HANDLER_MS}`)
  await sleep(S3_TRIGGER_AFTER_MS)
  const beforeTrigger = load.requests
  const triggeredAt = server.trigger()
  const exited = await server.waitExit(S3_LOAD_CAP_MS)
  await load.stop()
  // It may have exited after the cap, while the load was winding down: then take its final counts.
  let stats =
    exited || !server.alive
      ? await server.finalStats()
      : await server.stats().catch(() => server.finalStats())
  await server.kill()
  stats ??= { type: 'exit', started: Number.NaN, finished: Number.NaN, cpu: { user: 0, system: 0 } }
  return {
    kind,
    tally: load.tally,
    beforeTrigger,
    unsent: stats.started - stats.finished,
    exitMs: exited ? (server.exitedAt as number) - triggeredAt : undefined,
    details: stats.details,
  }
}
