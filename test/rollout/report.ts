/**
 * What the rollout scripts (HAProxy, L4) print and check: one line per run, the totals per build,
 * and the verdict. `ROLLOUT_RUNS` and `ROLLOUT_BUILDS` choose the runs.
 */
import type { Build } from './replica.js'
import type { RolloutResult } from './rollout.js'

export function line(r: RolloutResult): string {
  const failures = Object.entries(r.failures)
    .map(([what, count]) => `${what}×${count}`)
    .join(' ')
  return (
    `${r.build.padEnd(8)} requests ${String(r.requests).padStart(5)}  failed ${String(r.failed).padStart(3)}` +
    `${failures ? ` (${failures})` : ''}  POSTs ${r.posts} (duplicated ${r.duplicated}, answered but not written ${r.lostRows}, ` +
    `failed but written ${r.failedButWritten}, by ${r.writers} replicas)  slow answered ${r.slowAnswered}, in flight at SIGTERM ${r.slowAtSigterm.join('/')}  exits ${r.exitMs.join('/')} ms ` +
    `codes ${r.exitCodes.join('/')}  ${(r.durationMs / 1000).toFixed(1)} s`
  )
}

function problems(results: readonly RolloutResult[]): string[] {
  const found: string[] = []
  for (const r of results) {
    if (r.duplicated > 0) found.push(`${r.build}: ${r.duplicated} rows written twice`)
    if (r.lostRows > 0) found.push(`${r.build}: ${r.lostRows} answered POSTs have no row`)
    if (r.build === 'graceful' && r.failed > 0) found.push(`graceful: ${r.failed} failed requests`)
    if (r.build === 'graceful' && r.exitCodes.some((code) => code !== 0))
      found.push(`graceful: exit codes ${r.exitCodes}`)
    if (r.build === 'graceful' && r.slowAtSigterm.every((n) => n === 0)) {
      found.push(
        'graceful: no request longer than the drain delay was in flight at any SIGTERM: nothing was tested',
      )
    }
    if (r.build === 'exit' && r.failed === 0) {
      found.push(
        'exit: no failure seen from a service that exits at once: the harness cannot see what it claims to',
      )
    }
  }
  return found
}

/** Runs every build `ROLLOUT_RUNS` times (default 1), prints, and exits 1 on a problem. */
export async function runBuilds(
  all: readonly Build[],
  run: (build: Build) => Promise<RolloutResult>,
): Promise<void> {
  const builds = (process.env.ROLLOUT_BUILDS?.split(',') ?? all) as Build[]
  const runs = Number(process.env.ROLLOUT_RUNS ?? 1)
  for (const build of builds) if (!all.includes(build)) throw new Error(`unknown build ${build}`)
  const results: RolloutResult[] = []
  for (let i = 1; i <= runs; i++) {
    for (const build of builds) {
      const result = await run(build)
      results.push(result)
      console.log(`run ${i} ${line(result)}`)
    }
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
  const found = problems(results)
  if (found.length > 0) {
    console.error(`\nFAILED:\n  ${found.join('\n  ')}`)
    process.exit(1)
  }
  console.log('\nok: the graceful build lost nothing and wrote every POST exactly once')
}
