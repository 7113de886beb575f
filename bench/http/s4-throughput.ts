/** S4: hello-world throughput and server CPU per request, measured inside the server process. */
import { setTimeout as sleep } from 'node:timers/promises'
import { S4_CONNECTIONS, S4_MEASURE_MS, S4_WARMUP_MS } from './config.js'
import { Load } from './load.js'
import { ServerProcess } from './server-process.js'
import type { Variant } from './variants.js'

export interface S4Run {
  requestsPerSecond: number
  /** server CPU (user + system) per request, µs */
  cpuPerRequestUs: number
}

export async function runS4(variant: Variant): Promise<S4Run> {
  const server = await ServerProcess.start(variant)
  const load = new Load('raw', server.port, S4_CONNECTIONS, '/?ms=0')
  await sleep(S4_WARMUP_MS)
  const before = await server.stats()
  const startedAt = performance.now()
  await sleep(S4_MEASURE_MS)
  const after = await server.stats()
  const elapsed = performance.now() - startedAt
  await load.stop()
  await server.kill()
  const requests = after.finished - before.finished
  const cpu = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system
  return { requestsPerSecond: (requests / elapsed) * 1000, cpuPerRequestUs: cpu / requests }
}
