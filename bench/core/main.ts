/**
 * Core overhead: `stop()` with 10,000 no-op hooks over 100 priorities, against the same hooks run
 * directly (`await Promise.all` per priority group, in order) in the same process; and the time
 * and heap that registering 100,000 hooks costs.
 */
// The built package, as users run it (`npm run bench` builds first): tsx's transform adds helper
// calls to every closure, which would tax the measured code and not the baseline.
const dist = new URL('../../dist/index.js', import.meta.url).href
const { Lifecycle } = (await import(dist)) as typeof import('../../src/index.js')

import { direct as directLoop, floor } from './baselines.mjs'
import { instructionRows } from './callgrind.js'
import { sequentialRows } from './sequential.js'
import { gc, median, minorGc, range } from './stats.js'

const HOOKS = 10_000
const PRIORITIES = 100
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const REGISTER = 100_000

const noop = async (): Promise<void> => {}
const groups: (() => Promise<void>)[][] = Array.from({ length: PRIORITIES }, () => [])
for (let i = 0; i < HOOKS; i++) groups[i % PRIORITIES]?.push(noop)

async function direct(): Promise<number> {
  minorGc()
  return directLoop(groups)
}

async function lifecycle(): Promise<number> {
  const lc = new Lifecycle({ logger: false })
  for (let i = 0; i < HOOKS; i++) lc.onStop(`hook-${i}`, noop, { priority: i % PRIORITIES })
  // A minor collection only: a full one makes V8 flush the bytecode of the stop path, and the timed
  // stop would then measure recompilation, which a real process does not pay on every stop.
  minorGc()
  const started = performance.now()
  await lc.stop()
  return performance.now() - started
}

function registration(): { msTotal: number; usPerHook: number; bytesPerHook: number } {
  gc()
  const before = process.memoryUsage().heapUsed
  const lc = new Lifecycle({ logger: false })
  const started = performance.now()
  for (let i = 0; i < REGISTER; i++) lc.onStop(`hook-${i}`, noop, { priority: i % PRIORITIES })
  const msTotal = performance.now() - started
  gc()
  const bytes = process.memoryUsage().heapUsed - before
  if (lc.state !== 'idle') throw new Error('unexpected state')
  return { msTotal, usPerHook: (msTotal * 1000) / REGISTER, bytesPerHook: bytes / REGISTER }
}

async function floored(): Promise<number> {
  minorGc()
  return floor(groups)
}

const directTimes: number[] = []
const floorTimes: number[] = []
const ourTimes: number[] = []
// Warm every path up, then interleave so drift hits each equally.
for (let i = 0; i < 5; i++) {
  await direct()
  await floored()
  await lifecycle()
}
for (let i = 0; i < RUNS; i++) {
  directTimes.push(await direct())
  floorTimes.push(await floored())
  ourTimes.push(await lifecycle())
}
const regs = Array.from({ length: 5 }, registration)

const d = median(directTimes)
const f = median(floorTimes)
const o = median(ourTimes)
const ratio = o / d
const sequential = await sequentialRows(Lifecycle, Math.max(5, Math.round(RUNS / 3)))
const reg = {
  ms: median(regs.map((r) => r.msTotal)),
  us: median(regs.map((r) => r.usPerHook)),
  bytes: median(regs.map((r) => r.bytesPerHook)),
}
const lines = [
  '## Core: stop() overhead',
  '',
  `${HOOKS.toLocaleString('en')} no-op stop hooks over ${PRIORITIES} priorities; ${RUNS} interleaved runs after 5 warm-ups; median [min–max].`,
  '',
  '| | stop ms |',
  '|---|---|',
  `| hooks run directly (\`await Promise.all\` per priority) | ${d.toFixed(2)} [${range(directTimes)}] |`,
  `| floor: a record, a clock read and a reaction per hook (\`bench/core/baselines.mjs\`) | ${f.toFixed(2)} [${range(floorTimes)}] |`,
  `| \`lifecycle.stop()\` | ${o.toFixed(2)} [${range(ourTimes)}] |`,
  `| ratio stop / direct | ${ratio.toFixed(2)} |`,
  `| ratio floor / direct (what any per-hook record costs) | ${(f / d).toFixed(2)} |`,
  `| ratio stop / floor (what the engine adds) | ${(o / f).toFixed(2)} |`,
  '',
  `Whole stop under 50 ms (target): **${o < 50 ? 'yes' : 'no'}** (${o.toFixed(1)} ms).`,
  '',
  '### Instructions per hook against avvio (callgrind, `node --single-threaded`, one cold stop per process)',
  '',
  "Each figure is the difference between two cold processes of `bench/core/instructions.mjs` (base → registered → stopped), over 10,000 no-op hooks; avvio registers with `onClose()` and `ready()`, and stops with `close()`. Instructions do not depend on the machine's load, so these compare across runs; the wall-clock figures do not.",
  '',
  ...instructionRows(),
  '',
  "### `sequential: true` against avvio (Fastify's plugin loader), no-op async hooks, median",
  '',
  ...sequential,
  '',
  `Registering ${REGISTER.toLocaleString('en')} hooks (5 runs, median): ${reg.ms.toFixed(1)} ms in all, ` +
    `${reg.us.toFixed(2)} µs and ${Math.round(reg.bytes)} bytes of heap per hook.`,
]
console.log(lines.join('\n'))
