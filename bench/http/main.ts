/**
 * The HTTP shutdown benchmark: the scenarios of `/work/shared/BASELINES.md` (S1 idle keep-alive,
 * S2 in-flight, S3 keep-alive load with a raw client and with node's Agent, S4 overhead, timeout),
 * each variant in its own child process (`server.ts`). Prints markdown on stdout, progress on
 * stderr. Also the heap per idle keep-alive connection (`memory`). `BENCH_QUICK=1` for a smoke run; `BENCH_HTTP_VARIANTS=us,stoppable` and
 * `BENCH_HTTP_SCENARIOS=s1,s3` narrow a development run.
 */
import {
  MEMORY_ROUNDS,
  QUICK,
  S1_RUNS,
  S2_RUNS,
  S3_RUNS_PEER,
  S3_RUNS_US,
  S4_ROUNDS,
  TIMEOUT_RUNS,
} from './config.js'
import type { ClientKind } from './load.js'
import { runMemory } from './memory.js'
import { type Results, renderMarkdown } from './report.js'
import { runS1 } from './s1-idle.js'
import { runS2 } from './s2-in-flight.js'
import { runS3 } from './s3-load.js'
import { runS4 } from './s4-throughput.js'
import { log } from './stats.js'
import { runTimeout } from './timeout.js'
import { PEERS, US_EXTRAS, type Variant } from './variants.js'

const onlyVariants = process.env.BENCH_HTTP_VARIANTS?.split(',')
const onlyScenarios = process.env.BENCH_HTTP_SCENARIOS?.split(',')
/** `exit` always; our S1 extras (`us-grace0`, `us-delay`) come with `us`. */
const wanted = (variant: Variant) =>
  variant === 'exit' ||
  !onlyVariants ||
  onlyVariants.includes(variant) ||
  ((US_EXTRAS as readonly Variant[]).includes(variant) && onlyVariants.includes('us'))
const scenario = (name: string) => !onlyScenarios || onlyScenarios.includes(name)
const contenders = ([...PEERS, 'us'] as Variant[]).filter(wanted)
/** S1 also runs our variant with `idleGrace: 0` and behind a drain delay. */
const s1Variants = (['exit', ...contenders, ...US_EXTRAS] as Variant[]).filter(wanted)

const results: Results = {
  s1: new Map(),
  s2: new Map(),
  s3: new Map(),
  s4: [],
  memory: [],
  timeout: new Map(),
  errors: [],
}
const began = performance.now()

function push<T>(map: Map<Variant, T[]>, variant: Variant, value: T): void {
  map.set(variant, [...(map.get(variant) ?? []), value])
}

/** Runs one measurement; a variant that throws is reported, not fatal to the others. */
async function attempt<T>(label: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    const message = `${label}: ${error instanceof Error ? error.message : String(error)}`
    log(`ERROR ${message}`)
    if (!results.errors.includes(message)) results.errors.push(message)
    return undefined
  }
}

// Runs are interleaved across variants so that a slow moment of the machine hits all of them.
if (scenario('s1')) {
  for (let run = 1; run <= S1_RUNS; run++) {
    for (const variant of s1Variants) {
      const result = await attempt(`S1 ${variant}`, () => runS1(variant))
      if (result) push(results.s1, variant, result)
    }
    log(`S1 run ${run}/${S1_RUNS} done`)
  }
}

if (scenario('s2')) {
  for (let run = 1; run <= S2_RUNS; run++) {
    for (const variant of contenders) {
      const result = await attempt(`S2 ${variant}`, () => runS2(variant))
      if (!result) continue
      push(results.s2, variant, result)
      if (result.completed < 100) log(`S2 ${variant}: ${JSON.stringify(result)}`)
    }
    log(`S2 run ${run}/${S2_RUNS} done`)
  }
}

if (scenario('s3')) {
  for (let run = 1; run <= Math.max(S3_RUNS_US, S3_RUNS_PEER); run++) {
    for (const variant of contenders) {
      if (run > (variant === 'us' ? S3_RUNS_US : S3_RUNS_PEER)) continue
      for (const kind of ['raw', 'agent'] as ClientKind[]) {
        const result = await attempt(`S3 ${variant} ${kind}`, () => runS3(variant, kind))
        if (!result) continue
        push(results.s3, variant, result)
        if (variant === 'us') log(`S3 us ${kind}: ${JSON.stringify(result)}`)
      }
    }
    log(`S3 run ${run} done (${Math.round((performance.now() - began) / 1000)} s)`)
  }
}

if (scenario('timeout')) {
  for (let run = 1; run <= TIMEOUT_RUNS; run++) {
    for (const variant of ['exit', ...contenders] as Variant[]) {
      const result = await attempt(`timeout ${variant}`, () => runTimeout(variant))
      if (result) push(results.timeout, variant, result)
    }
    log(`timeout run ${run}/${TIMEOUT_RUNS} done`)
  }
}

if (scenario('s4') && wanted('us')) {
  for (let round = 1; round <= S4_ROUNDS; round++) {
    const bareA = await attempt('S4 bare', () => runS4('exit'))
    const us = await attempt('S4 us', () => runS4('us'))
    const bareB = await attempt('S4 bare', () => runS4('exit'))
    if (bareA && us && bareB) results.s4.push({ bareA, us, bareB })
    log(`S4 round ${round}/${S4_ROUNDS} done`)
  }
}

if (scenario('memory') && wanted('us')) {
  for (let round = 1; round <= MEMORY_ROUNDS; round++) {
    const bare = await attempt('memory bare', () => runMemory('exit'))
    const us = await attempt('memory us', () => runMemory('us'))
    if (bare && us) results.memory.push({ bare, us })
    log(`memory round ${round}/${MEMORY_ROUNDS}: bare ${bare?.perConnection} us ${us?.perConnection}`)
  }
}

log(
  `done in ${Math.round((performance.now() - began) / 1000)} s${QUICK ? ' (BENCH_QUICK: numbers mean nothing)' : ''}`,
)
process.stdout.write(renderMarkdown(results, contenders, s1Variants))
