/**
 * One rolling update of `replicas` replicas of one build behind a balancer (HAProxy, or the L4
 * Service of `kube-proxy.ts`), `rollouts` times, under the steady client; what the harness does is
 * what the kubelet and the endpoints controller do (maxSurge 1, maxUnavailable 0): start a new
 * replica, wait until the balancer routes to it, SIGTERM the oldest, wait for it to exit. The
 * balancer learns of the SIGTERM only through its own readiness checks.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Load, type Outcome } from './load.js'
import type { Build } from './replica.js'
import { Replica, type ReplicaEnv } from './replicas.js'

/** Readiness checks: every `interval` ms, `fall` failures in a row take a replica out, each may take `checkTimeout` ms. */
export interface ProbeTiming {
  readonly interval: number
  readonly fall: number
  readonly checkTimeout: number
}

/** What sends the client's traffic to the ready replicas. */
export interface Balancer {
  /** Where the client connects. */
  readonly host: string
  readonly port: number
  /** Resolves once traffic goes to `replica` (its readiness check passed). */
  route(replica: Replica): Promise<void>
  /** `replica` has exited: forget it (the endpoints controller dropping a pod that has gone). */
  unroute(replica: Replica): Promise<void>
  stop(): Promise<void>
}

export interface RolloutOptions {
  readonly replicas: number
  readonly rollouts: number
  readonly timing: ProbeTiming
  readonly slowMs: number
  readonly marginMs: number
  readonly mixedLoops: number
  readonly slowLoops: number
  readonly pauseMs: number
  readonly idleLoops?: number
  readonly idlePauseMs?: number
  /** SIGKILL this long after SIGTERM (`terminationGracePeriodSeconds`). @default 20_000 */
  readonly gracePeriodMs?: number
}

export interface RolloutResult {
  readonly build: Build
  readonly requests: number
  readonly failed: number
  /** What the failures were: `'502': 3, ECONNRESET: 1`. */
  readonly failures: Record<string, number>
  readonly posts: number
  /** Answered POSTs whose row is missing. */
  readonly lostRows: number
  /** Ids written more than once. */
  readonly duplicated: number
  /** POSTs the client saw fail whose row was written all the same. */
  readonly failedButWritten: number
  readonly slowAnswered: number
  /** Replicas (processes) that wrote a POST's row: the balancer spread the load. */
  readonly writers: number
  /** SIGTERM to exit of each replica rolled out, in ms. */
  readonly exitMs: number[]
  readonly exitCodes: (number | null)[]
  /** `/slow` requests in flight at each SIGTERM, as the replica counted them. */
  readonly slowAtSigterm: number[]
  readonly durationMs: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function rollout(
  build: Build,
  options: RolloutOptions,
  startBalancer: () => Promise<Balancer>,
): Promise<RolloutResult> {
  const began = performance.now()
  const rows = join(mkdtempSync(join(tmpdir(), 'gl-rollout-')), 'rows.log')
  writeFileSync(rows, '')
  const env: ReplicaEnv = {
    rows,
    slowMs: options.slowMs,
    marginMs: options.marginMs,
    probe: {
      periodSeconds: options.timing.interval / 1000,
      failureThreshold: options.timing.fall,
      timeoutSeconds: options.timing.checkTimeout / 1000,
    },
  }
  const balancer = await startBalancer()
  const live: Replica[] = []
  const exitMs: number[] = []
  const exitCodes: (number | null)[] = []
  const slowAtSigterm: number[] = []
  let load: Load | undefined
  let outcomes: Outcome[] = []
  const up = async (): Promise<Replica> => {
    const replica = await Replica.start(build, env)
    await balancer.route(replica)
    live.push(replica)
    return replica
  }
  try {
    await Promise.all(Array.from({ length: options.replicas }, up))
    load = new Load({
      host: balancer.host,
      port: balancer.port,
      mixedLoops: options.mixedLoops,
      slowLoops: options.slowLoops,
      pauseMs: options.pauseMs,
      idleLoops: options.idleLoops ?? 0,
      idlePauseMs: options.idlePauseMs ?? 0,
    })
    await sleep(1_000)
    for (let i = 0; i < options.rollouts; i++) {
      await up()
      const old = live.shift()
      if (old === undefined) throw new Error('no replica to roll')
      const sent = performance.now()
      exitCodes.push(await old.terminate(options.gracePeriodMs ?? 20_000))
      exitMs.push(Math.round(performance.now() - sent))
      slowAtSigterm.push(old.slowInFlight ?? 0)
      await balancer.unroute(old)
    }
    await sleep(1_000)
  } finally {
    // A harness error still ends the client, the replicas and the balancer before it propagates.
    outcomes = load ? await load.stop() : []
    await Promise.all(live.map((replica) => replica.kill()))
    await balancer.stop()
  }
  return summarize(build, outcomes, rows, { exitMs, exitCodes, slowAtSigterm }, performance.now() - began)
}

function summarize(
  build: Build,
  outcomes: Outcome[],
  rows: string,
  exits: Pick<RolloutResult, 'exitMs' | 'exitCodes' | 'slowAtSigterm'>,
  durationMs: number,
): RolloutResult {
  const written = new Map<string, number>()
  const writers = new Set<string>()
  for (const line of readFileSync(rows, 'utf8').split('\n')) {
    const [id, pid] = line.split(' ')
    if (id) written.set(id, (written.get(id) ?? 0) + 1)
    if (pid) writers.add(pid)
  }
  const failures: Record<string, number> = {}
  for (const outcome of outcomes) if (!outcome.ok) failures[outcome.what] = (failures[outcome.what] ?? 0) + 1
  const posts = outcomes.filter((outcome) => outcome.kind === 'post')
  return {
    build,
    requests: outcomes.length,
    failed: outcomes.filter((outcome) => !outcome.ok).length,
    failures,
    posts: posts.length,
    lostRows: posts.filter((post) => post.ok && !written.has(post.id ?? '')).length,
    duplicated: [...written.values()].filter((count) => count > 1).length,
    failedButWritten: posts.filter((post) => !post.ok && written.has(post.id ?? '')).length,
    slowAnswered: outcomes.filter((outcome) => outcome.kind === 'slow' && outcome.ok).length,
    writers: writers.size,
    ...exits,
    durationMs: Math.round(durationMs),
  }
}
