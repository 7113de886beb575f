/**
 * `npm run test:l4`: rolling updates through a Kubernetes-like L4 Service (kube-proxy's iptables
 * DNAT, conntrack, an endpoints controller that probes readiness), the service built per
 * docs/kubernetes.md against three controls. Needs root, `ip` and Debian's `iptables` (`.ci/run`
 * installs it). Everything happens in a network namespace made for the run and deleted after it:
 * its loopback is brought up, the Service address is 127.0.0.100:80, `route_localnet` is set (what
 * kube-proxy sets to DNAT to loopback addresses). Exits as `test:rollout` does (see report.ts).
 *
 *   npm run test:l4                        # one run of each build
 *   ROLLOUT_RUNS=4 npm run test:l4         # four runs of each, for figures
 *   ROLLOUT_BUILDS=graceful,naive npm run test:l4
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

function need(command: string, hint: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' })
  if (found.status !== 0) {
    console.error(`test:l4 needs \`${command}\`: ${hint}`)
    process.exit(1)
  }
}
if (process.getuid?.() !== 0) {
  console.error('test:l4 needs root: it creates a network namespace and iptables rules in it')
  process.exit(1)
}
need('ip', 'apt-get install -y iproute2')
need('iptables-restore', 'apt-get install -y iptables')

const namespace = `gl-l4-${process.pid}`
const inside = (...command: string[]) => execFileSync('ip', ['netns', 'exec', namespace, ...command])
execFileSync('ip', ['netns', 'add', namespace])
let status = 1
try {
  inside('ip', 'link', 'set', 'lo', 'up')
  inside('sysctl', '-q', '-w', 'net.ipv4.conf.all.route_localnet=1')
  inside('sysctl', '-q', '-w', 'net.ipv4.conf.lo.route_localnet=1')
  const script = fileURLToPath(new URL('./l4-run.ts', import.meta.url))
  const run = spawnSync('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', script], {
    stdio: 'inherit',
  })
  status = run.status ?? 1
} finally {
  execFileSync('ip', ['netns', 'delete', namespace])
}
process.exit(status)
