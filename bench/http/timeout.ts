/** Timeout: one request that never ends; trigger; time to exit against the 2 s budget. */
import { setTimeout as sleep } from 'node:timers/promises'
import { TIMEOUT_HANG_CAP_MS } from './config.js'
import { RawConnection } from './raw-client.js'
import { ServerProcess } from './server-process.js'
import type { Variant } from './variants.js'

export interface TimeoutRun {
  /** trigger → exit, ms; undefined when it hung past the cap */
  exitMs: number | undefined
}

export async function runTimeout(variant: Variant): Promise<TimeoutRun> {
  const server = await ServerProcess.start(variant)
  const conn = await RawConnection.open(server.port)
  void conn.request('/?ms=never')
  await sleep(100)
  const triggeredAt = server.trigger()
  const exited = await server.waitExit(TIMEOUT_HANG_CAP_MS)
  conn.destroy()
  await server.kill()
  return { exitMs: exited ? (server.exitedAt as number) - triggeredAt : undefined }
}
