/**
 * S2: 100 requests whose handler takes 1 s, trigger 100 ms after they start; at +50 ms a request
 * on a new connection and one on an already-open idle keep-alive connection.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import {
  S2_EXIT_CAP_MS,
  S2_HANDLER_MS,
  S2_PROBE_AFTER_TRIGGER_MS,
  S2_REQUESTS,
  S2_TRIGGER_AFTER_MS,
} from './config.js'
import { count, emptyTally, type Result, type Tally } from './outcome.js'
import { RawConnection, requestOnNewConnection } from './raw-client.js'
import { ServerProcess, type ServerStats } from './server-process.js'
import type { Variant } from './variants.js'

export interface S2Run {
  completed: number
  /** last response → exit, ms; undefined when it did not exit within the cap */
  lastToExitMs: number | undefined
  newConnection: Result
  idleConnection: Result
  /** how the in-flight requests ended */
  tally: Tally
  /** what the server printed at exit (ours: the hook's report details) */
  server: ServerStats | undefined
}

export async function runS2(variant: Variant): Promise<S2Run> {
  const server = await ServerProcess.start(variant)
  const idle = await RawConnection.open(server.port)
  if ((await idle.request('/?ms=0')).outcome !== 'ok') throw new Error(`S2 ${variant}: warm-up failed`)
  const conns = await Promise.all(Array.from({ length: S2_REQUESTS }, () => RawConnection.open(server.port)))
  const requests = Promise.all(conns.map((conn) => conn.request(`/?ms=${S2_HANDLER_MS}`)))
  await sleep(S2_TRIGGER_AFTER_MS)
  server.trigger()
  await sleep(S2_PROBE_AFTER_TRIGGER_MS)
  const probes = Promise.all([requestOnNewConnection(server.port, '/?ms=0'), idle.request('/?ms=0')])
  const results = await requests
  const lastAt = Math.max(...results.map((result) => result.at))
  const exited = await server.waitExit(S2_EXIT_CAP_MS)
  const [newConnection, idleConnection] = await probes
  for (const conn of [...conns, idle]) conn.destroy()
  newConnection.conn?.destroy()
  await server.kill()
  const tally = emptyTally()
  for (const result of results) count(tally, result)
  return {
    tally,
    server: await server.finalStats(),
    completed: results.filter((result) => result.outcome === 'ok').length,
    lastToExitMs: exited ? (server.exitedAt as number) - lastAt : undefined,
    newConnection: { outcome: newConnection.outcome, close: newConnection.close, at: newConnection.at },
    idleConnection,
  }
}
