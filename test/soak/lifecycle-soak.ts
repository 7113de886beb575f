// Issue 18.11: start/stop cycles of a lifecycle with everything a service registers must leave
// nothing behind. Run with `npm run test:soak` (node --expose-gc): the heap after GC stays flat and
// no server passed to httpServer() stays reachable once its lifecycle is gone (WeakRefs).
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { drainDelay, health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { Lifecycle } from '../../src/index.js'
import { worker } from '../../src/workers/index.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')

const cycles = Number(process.env.SOAK_CYCLES ?? 10_000)
const samples = Number(process.env.SOAK_SAMPLES ?? 5)
/** Growth per cycle above which the soak fails; before the fix it was about 29 KB a cycle. */
const maxBytesPerCycle = Number(process.env.SOAK_MAX_BYTES_PER_CYCLE ?? 200)
/** What `handleSignals()` calls instead of `process.exit`: defined here, so it captures no cycle's scope. */
const noExit = (): void => {}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

const servers: WeakRef<Server>[] = []

async function cycle(keepRef: boolean, watchdog: boolean): Promise<void> {
  const lifecycle = new Lifecycle({ logger: false })
  // Half with the default watchdog (its timer holds the handler for 1 s after the stop, no longer),
  // half without one: nothing else may hold a handler whose stop has ended.
  lifecycle.handleSignals(watchdog ? { exit: noExit } : { exit: noExit, watchdog: false })
  const probes = health({ checks: { db: () => true } })
  lifecycle.register(probes)
  lifecycle.register(drainDelay(0))
  const server = createServer((req, res) => {
    if (req.url === '/readyz') return probes.readiness(req, res)
    res.end('ok')
  })
  if (keepRef) servers.push(new WeakRef(server))
  lifecycle.register(httpServer(server))
  lifecycle.register(
    worker(
      ({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
      {
        name: 'loop',
      },
    ),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  await lifecycle.start()
  const status = await get((server.address() as AddressInfo).port, '/readyz')
  if (status !== 200) throw new Error(`readiness answered ${status}`)
  await lifecycle.stop()
}

async function heap(): Promise<number> {
  // Twice, with a turn between: a FinalizationRegistry or a WeakRef may free more on the second pass.
  gc?.()
  await new Promise((resolve) => setImmediate(resolve))
  gc?.()
  return process.memoryUsage().heapUsed
}

const began = performance.now()
// Warm-up: JIT, module caches, the first sockets, the first watchdog timers.
for (let i = 0; i < 500; i++) await cycle(false, i % 2 === 0)
const points: { at: number; heap: number }[] = [{ at: 0, heap: await heap() }]
for (let i = 1; i <= cycles; i++) {
  await cycle(i % Math.ceil(cycles / 300) === 0, i % 2 === 0)
  if (i % Math.floor(cycles / samples) === 0) points.push({ at: i, heap: await heap() })
}
// The last watchdogs (1 s) let their handlers go.
await new Promise((resolve) => setTimeout(resolve, 1_200))
await heap()
const alive = servers.filter((ref) => ref.deref() !== undefined).length
// The slope from the first sample on: what is left of the warm-up (lazily compiled code) is not a leak.
const from = points[1] ?? points[0]
const last = points.at(-1)
const perCycle = from && last && last.at > from.at ? (last.heap - from.heap) / (last.at - from.at) : 0
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`
console.log(`heap after GC: ${points.map((p) => `${p.at}: ${mb(p.heap)}`).join(', ')}`)
console.log(
  `${cycles} cycles in ${Math.round((performance.now() - began) / 1000)} s: ${Math.round(perCycle)} bytes/cycle; servers still reachable: ${alive} of ${servers.length}`,
)
if (alive > 0 || perCycle > maxBytesPerCycle) {
  console.error(`soak failed: expected 0 servers reachable and at most ${maxBytesPerCycle} bytes/cycle`)
  process.exit(1)
}
