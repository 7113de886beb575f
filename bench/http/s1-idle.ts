/** S1: idle keep-alive connections that each made one request; trigger; time to process exit. */
import { setTimeout as sleep } from 'node:timers/promises'
import { S1_CONNECTIONS } from './config.js'
import { RawConnection } from './raw-client.js'
import { ServerProcess, type ServerStats } from './server-process.js'
import type { Variant } from './variants.js'

const EXIT_CAP_MS = 10_000

export interface S1Run {
  /** trigger → exit, ms; undefined when it did not exit within the cap */
  exitMs: number | undefined
  /** what the server printed at exit */
  server: ServerStats | undefined
}

export async function runS1(variant: Variant): Promise<S1Run> {
  const server = await ServerProcess.start(variant)
  const conns: RawConnection[] = []
  // in batches, so the listen backlog never overflows
  for (let opened = 0; opened < S1_CONNECTIONS; opened += 100) {
    const batch = Math.min(100, S1_CONNECTIONS - opened)
    conns.push(...(await Promise.all(Array.from({ length: batch }, () => RawConnection.open(server.port)))))
  }
  const answers = await Promise.all(conns.map((conn) => conn.request('/?ms=0')))
  if (answers.some((answer) => answer.outcome !== 'ok'))
    throw new Error(`S1 ${variant}: a warm-up request failed`)
  await sleep(100)
  const triggeredAt = server.trigger()
  const exited = await server.waitExit(EXIT_CAP_MS)
  for (const conn of conns) conn.destroy()
  await server.kill()
  return {
    exitMs: exited ? (server.exitedAt as number) - triggeredAt : undefined,
    server: await server.finalStats(),
  }
}
