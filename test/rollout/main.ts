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

import { haproxyBalancer } from './haproxy.js'
import type { Build } from './replica.js'
import { runBuilds } from './report.js'
import { type RolloutOptions, rollout } from './rollout.js'

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

await runBuilds(ALL, (build) => rollout(build, OPTIONS, haproxyBalancer(OPTIONS)))
