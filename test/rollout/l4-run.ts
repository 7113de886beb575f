/**
 * The L4 rollout, inside the network namespace that `l4-main.ts` made (it runs this file there):
 * rolling updates of each build behind the kube-proxy-like Service of `kube-proxy.ts`.
 */
import { kubeProxy } from './kube-proxy.js'
import type { Build } from './replica.js'
import { runBuilds } from './report.js'
import { type RolloutOptions, rollout } from './rollout.js'

const OPTIONS: RolloutOptions = {
  replicas: 3,
  rollouts: 3,
  // The endpoints controller probes every 200 ms, removes after 1 failure, 100 ms per probe; the
  // graceful build's drainDelay() is computed from these: (0.2 s × 1 + 0.1 s) + 300 ms = 600 ms.
  timing: { interval: 200, fall: 1, checkTimeout: 100 },
  marginMs: 300,
  // Longer than the drain delay: these are in flight when the listener closes.
  slowMs: 1_500,
  mixedLoops: 16,
  slowLoops: 3,
  pauseMs: 5,
  // Clients idle longer than the idle grace (500 ms) between requests.
  idleLoops: 6,
  idlePauseMs: 600,
  // The kubelet's SIGKILL: `server.close()` never ends while pinned keep-alive clients keep sending.
  gracePeriodMs: 5_000,
}

const ALL: readonly Build[] = ['graceful', 'no-delay', 'naive', 'exit']
await runBuilds(ALL, (build) => rollout(build, OPTIONS, () => kubeProxy(OPTIONS.timing)))
