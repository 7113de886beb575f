/**
 * Clients that connect straight to one replica, no balancer: the steady client's keep-alive loops
 * (GETs, POSTs, loops idle longer than the idle grace, requests longer than the drain delay) against
 * one child process, SIGTERM while they run, and every outcome classified. A request refused before
 * anything was written is fine (the service is gone); any other failure is a request lost.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Load, type Outcome, REFUSED } from './load.js'
import type { Build } from './replica.js'
import { Replica } from './replicas.js'

export interface DirectOptions {
  /** The graceful build's drain delay in ms (0: none). */
  readonly drainDelayMs: number
  readonly mixedLoops: number
  readonly idleLoops: number
  readonly idlePauseMs: number
  readonly slowLoops: number
  /** Loops that open a new connection for each request. @default 0 */
  readonly freshLoops?: number
  readonly slowMs: number
  /** How long the load runs before the SIGTERM. */
  readonly warmMs: number
}

export interface DirectResult {
  readonly build: Build
  readonly requests: number
  /** Answered after the SIGTERM. */
  readonly afterSigterm: number
  readonly refused: number
  /** Written, then failed: what must be 0. */
  readonly lost: Outcome[]
  readonly posts: number
  readonly duplicated: number
  readonly answeredNotWritten: number
  readonly slowAtSigterm: number
  readonly exitCode: number | null
  readonly exitMs: number
  readonly sigtermAt: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function direct(build: Build, options: DirectOptions): Promise<DirectResult> {
  const rows = join(mkdtempSync(join(tmpdir(), 'gl-direct-')), 'rows.log')
  writeFileSync(rows, '')
  const replica = await Replica.start(build, {
    rows,
    slowMs: options.slowMs,
    marginMs: 0,
    probe: { periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 1 },
    drainDelayMs: options.drainDelayMs,
  })
  const load = new Load({
    port: replica.port,
    mixedLoops: options.mixedLoops,
    idleLoops: options.idleLoops,
    idlePauseMs: options.idlePauseMs,
    slowLoops: options.slowLoops,
    freshLoops: options.freshLoops ?? 0,
    pauseMs: 0,
  })
  let outcomes: Outcome[] = []
  let exitCode: number | null = null
  let exitMs = 0
  let sigtermAt = 0
  try {
    await sleep(options.warmMs)
    sigtermAt = performance.now()
    exitCode = await replica.terminate(20_000)
    exitMs = Math.round(performance.now() - sigtermAt)
  } finally {
    outcomes = await load.stop()
    await replica.kill()
  }
  const written = new Map<string, number>()
  for (const line of readFileSync(rows, 'utf8').split('\n')) {
    const id = line.split(' ')[0]
    if (id) written.set(id, (written.get(id) ?? 0) + 1)
  }
  const posts = outcomes.filter((o) => o.kind === 'post' && o.what !== REFUSED)
  return {
    build,
    requests: outcomes.length,
    afterSigterm: outcomes.filter((o) => o.ok && o.at >= sigtermAt).length,
    refused: outcomes.filter((o) => o.what === REFUSED).length,
    lost: outcomes.filter((o) => !o.ok && o.what !== REFUSED),
    posts: posts.length,
    duplicated: [...written.values()].filter((count) => count > 1).length,
    answeredNotWritten: posts.filter((o) => o.ok && !written.has(o.id ?? '')).length,
    slowAtSigterm: replica.slowInFlight ?? 0,
    exitCode,
    exitMs,
    sigtermAt,
  }
}

/** One line per run, for the scripts. */
export function directLine(r: DirectResult): string {
  const lost = new Map<string, number>()
  for (const o of r.lost) {
    const key = `${o.loop} ${o.kind} ${o.what} at +${Math.round(o.at - r.sigtermAt)} ms`
    lost.set(key, (lost.get(key) ?? 0) + 1)
  }
  const what = [...lost].map(([k, n]) => `${k}×${n}`).join(', ')
  return (
    `${r.build.padEnd(8)} requests ${String(r.requests).padStart(6)} (after SIGTERM ${r.afterSigterm}) ` +
    `lost ${r.lost.length}${what ? ` (${what})` : ''} refused ${r.refused} POSTs ${r.posts} ` +
    `(twice ${r.duplicated}, answered unwritten ${r.answeredNotWritten}) slow at SIGTERM ${r.slowAtSigterm} ` +
    `exit ${r.exitCode} in ${r.exitMs} ms`
  )
}
