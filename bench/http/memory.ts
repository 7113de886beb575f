/**
 * Memory: the server's heap per idle keep-alive connection, bare and with `httpServer()`. Each
 * run: a fresh server process, its heap after a full GC; `MEMORY_CONNECTIONS` connections from
 * this (the client) process, each makes one request and sits idle; the heap again. Runs alternate
 * between the variants, and each ratio is taken within one pair of runs.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { MEMORY_CONNECTIONS } from './config.js'
import { RawConnection } from './raw-client.js'
import { ServerProcess } from './server-process.js'
import type { Variant } from './variants.js'

export interface MemoryRun {
  /** Heap bytes per idle connection. */
  readonly perConnection: number
}

export async function runMemory(variant: Variant): Promise<MemoryRun> {
  const server = await ServerProcess.start(variant)
  const conns: RawConnection[] = []
  try {
    // One request first: the code paths of a request (and their lazy allocations) are warm in both.
    const warm = await RawConnection.open(server.port)
    await warm.request('/?ms=0')
    warm.destroy()
    await sleep(50)
    const before = await server.heap()
    for (let opened = 0; opened < MEMORY_CONNECTIONS; opened += 100) {
      const batch = Math.min(100, MEMORY_CONNECTIONS - opened)
      const opening = Array.from({ length: batch }, () => RawConnection.open(server.port))
      conns.push(...(await Promise.all(opening)))
    }
    const answers = await Promise.all(conns.map((conn) => conn.request('/?ms=0')))
    if (answers.some((answer) => answer.outcome !== 'ok'))
      throw new Error(`memory ${variant}: a request failed`)
    await sleep(100)
    const after = await server.heap()
    return { perConnection: (after - before) / MEMORY_CONNECTIONS }
  } finally {
    for (const conn of conns) conn.destroy()
    await server.kill()
  }
}
