/**
 * One rolling update of `replicas` replicas of one build behind HAProxy, `rollouts` times, under
 * the steady client; what the harness does is what the kubelet and the endpoints controller do
 * (maxSurge 1, maxUnavailable 0): start a new replica, wait until the balancer marks it UP,
 * SIGTERM the oldest, wait for it to exit. The balancer learns of the SIGTERM only through its
 * own readiness checks.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Haproxy, type HaproxyTiming } from './haproxy.js'
import { Load, type Outcome } from './load.js'
import type { Build } from './replica.js'
import { Replica, type ReplicaEnv } from './replicas.js'

export interface RolloutOptions {
  readonly replicas: number
  readonly rollouts: number
  readonly timing: HaproxyTiming
  readonly slowMs: number
  readonly marginMs: number
  readonly mixedLoops: number
  readonly slowLoops: number
  readonly pauseMs: number
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
  /** SIGTERM to exit of each replica rolled out, in ms. */
  readonly exitMs: number[]
  readonly exitCodes: (number | null)[]
  /** `/slow` requests in flight at each SIGTERM, as the replica counted them. */
  readonly slowAtSigterm: number[]
  readonly durationMs: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function rollout(build: Build, options: RolloutOptions): Promise<RolloutResult> {
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
  const slots = options.replicas + 1
  const haproxy = await Haproxy.start(slots, options.timing)
  const free = Array.from({ length: slots }, (_, i) => `s${i + 1}`)
  const live: Replica[] = []
  const exitMs: number[] = []
  const exitCodes: (number | null)[] = []
  const slowAtSigterm: number[] = []
  let load: Load | undefined
  let outcomes: Outcome[] = []
  const up = async (): Promise<Replica> => {
    const replica = await Replica.start(build, env)
    const slot = free.shift()
    if (slot === undefined) throw new Error('no free slot')
    replica.slot = slot
    await haproxy.assign(slot, replica.port)
    await haproxy.waitFor(slot, (status) => status === 'UP', 10_000)
    live.push(replica)
    return replica
  }
  try {
    await Promise.all(Array.from({ length: options.replicas }, up))
    load = new Load({
      port: haproxy.port,
      mixedLoops: options.mixedLoops,
      slowLoops: options.slowLoops,
      pauseMs: options.pauseMs,
    })
    await sleep(1_000)
    for (let i = 0; i < options.rollouts; i++) {
      await up()
      const old = live.shift()
      if (old === undefined) throw new Error('no replica to roll')
      const sent = performance.now()
      exitCodes.push(await old.terminate(20_000))
      exitMs.push(Math.round(performance.now() - sent))
      slowAtSigterm.push(old.slowInFlight ?? 0)
      // It has gone: the endpoints controller drops it, and its slot is free for the next one.
      await haproxy.release(old.slot)
      await haproxy.waitFor(old.slot, (status) => status.startsWith('DOWN'), 10_000)
      free.push(old.slot)
    }
    await sleep(1_000)
  } finally {
    // A harness error still ends the client, the replicas and the balancer before it propagates.
    outcomes = load ? await load.stop() : []
    await Promise.all(live.map((replica) => replica.kill()))
    await haproxy.stop()
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
  for (const line of readFileSync(rows, 'utf8').split('\n')) {
    const id = line.split(' ')[0]
    if (id) written.set(id, (written.get(id) ?? 0) + 1)
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
    ...exits,
    durationMs: Math.round(durationMs),
  }
}
