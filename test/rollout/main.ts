/**
 * `npm run test:rollout`: rolling updates behind a real HAProxy, the service built per
 * docs/kubernetes.md against three controls, one after the other. Needs Node and haproxy, nothing
 * else. Exits 1 when the graceful build failed or duplicated anything, when any build lost or
 * duplicated a row, or when the harness saw no failure from the build that exits at once (then it
 * could not see what it claims to).
 *
 *   npm run test:rollout                       # one run of each build
 *   ROLLOUT_RUNS=5 npm run test:rollout        # five runs of each, for figures
 *   ROLLOUT_BUILDS=graceful,naive npm run test:rollout
 */
import type { Build } from './replica.js'
import { type RolloutOptions, type RolloutResult, rollout } from './rollout.js'

const OPTIONS: RolloutOptions = {
  replicas: 3,
  rollouts: 3,
  // HAProxy: `inter 200 fall 1`, `timeout check 100ms`; the graceful build's drainDelay() is
  // computed from these: (0.2 s × 1 + 0.1 s) + 300 ms margin = 600 ms.
  timing: { interval: 200, fall: 1, checkTimeout: 100 },
  marginMs: 300,
  // Longer than the drain delay: these are in flight when the listener closes.
  slowMs: 1_500,
  mixedLoops: 6,
  slowLoops: 3,
  pauseMs: 5,
}

const ALL: readonly Build[] = ['graceful', 'no-delay', 'naive', 'exit']
const builds = (process.env.ROLLOUT_BUILDS?.split(',') ?? ALL) as Build[]
const runs = Number(process.env.ROLLOUT_RUNS ?? 1)
for (const build of builds) if (!ALL.includes(build)) throw new Error(`unknown build ${build}`)

const results: RolloutResult[] = []
for (let run = 1; run <= runs; run++) {
  for (const build of builds) {
    const result = await rollout(build, OPTIONS)
    results.push(result)
    console.log(`run ${run} ${line(result)}`)
  }
}

function line(r: RolloutResult): string {
  const failures = Object.entries(r.failures)
    .map(([what, count]) => `${what}×${count}`)
    .join(' ')
  return (
    `${r.build.padEnd(8)} requests ${String(r.requests).padStart(5)}  failed ${String(r.failed).padStart(3)}` +
    `${failures ? ` (${failures})` : ''}  POSTs ${r.posts} (duplicated ${r.duplicated}, answered but not written ${r.lostRows}, ` +
    `failed but written ${r.failedButWritten})  slow answered ${r.slowAnswered}, in flight at SIGTERM ${r.slowAtSigterm.join('/')}  exits ${r.exitMs.join('/')} ms ` +
    `codes ${r.exitCodes.join('/')}  ${(r.durationMs / 1000).toFixed(1)} s`
  )
}

console.log('\nper build, over every run: failed requests of requests sent')
for (const build of builds) {
  const mine = results.filter((r) => r.build === build)
  const failed = mine.map((r) => r.failed)
  const requests = mine.reduce((sum, r) => sum + r.requests, 0)
  console.log(
    `  ${build.padEnd(8)} ${failed.reduce((a, b) => a + b, 0)} of ${requests} (per run: ${failed.join(', ')}; min ${Math.min(...failed)}, max ${Math.max(...failed)})`,
  )
}

const problems: string[] = []
for (const r of results) {
  if (r.duplicated > 0) problems.push(`${r.build}: ${r.duplicated} rows written twice`)
  if (r.lostRows > 0) problems.push(`${r.build}: ${r.lostRows} answered POSTs have no row`)
  if (r.build === 'graceful' && r.failed > 0) problems.push(`graceful: ${r.failed} failed requests`)
  if (r.build === 'graceful' && r.exitCodes.some((code) => code !== 0))
    problems.push(`graceful: exit codes ${r.exitCodes}`)
  if (r.build === 'graceful' && r.slowAtSigterm.every((n) => n === 0)) {
    problems.push(
      'graceful: no request longer than the drain delay was in flight at any SIGTERM: nothing was tested',
    )
  }
  if (r.build === 'exit' && r.failed === 0) {
    problems.push(
      'exit: no failure seen from a service that exits at once: the harness cannot see what it claims to',
    )
  }
}
if (problems.length > 0) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('\nok: the graceful build lost nothing and wrote every POST exactly once')
