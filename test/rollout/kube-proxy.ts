/**
 * The L4 path of a Kubernetes Service, as kube-proxy (iptables mode) and the endpoints controller
 * make it, inside the network namespace `l4-main.ts` created: a Service address in the loopback
 * range (127.0.0.100:80), `nat OUTPUT` → `KUBE-SERVICES` → `KUBE-SVC-L4`, one `-m statistic --mode
 * random --probability 1/n` jump per ready endpoint to its `KUBE-SEP-*` chain, which DNATs to the
 * replica. The rules are rewritten atomically with `iptables-restore --noflush`, as kube-proxy
 * does. Only new connections follow the rules: conntrack keeps an established connection on the
 * endpoint it was given, also after that endpoint is removed. The controller probes `/readyz` of
 * every replica every `interval` ms (a fresh connection each, `checkTimeout` ms at most); a replica
 * is ready after one success and removed after `fall` failures in a row, or at once when it has gone.
 */
import { execFile } from 'node:child_process'
import { get } from 'node:http'
import type { Replica } from './replicas.js'
import type { Balancer, ProbeTiming } from './rollout.js'

export const SERVICE_HOST = '127.0.0.100'
export const SERVICE_PORT = 80
const SVC = 'KUBE-SVC-L4'

function iptablesRestore(rules: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('iptables-restore', ['--noflush'], (error, _stdout, stderr) =>
      error ? reject(new Error(`iptables-restore: ${stderr || error.message}\n${rules}`)) : resolve(),
    )
    child.stdin?.end(rules)
  })
}

/** The Service's rules for these endpoint ports, in kube-proxy's shape. */
function serviceRules(ports: readonly number[], installed: boolean): string {
  const lines = ['*nat', `:${SVC} - [0:0]`]
  for (const port of ports) lines.push(`:KUBE-SEP-${port} - [0:0]`)
  if (!installed) {
    lines.push(':KUBE-SERVICES - [0:0]')
    lines.push('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES')
    lines.push(`-A KUBE-SERVICES -d ${SERVICE_HOST}/32 -p tcp -m tcp --dport ${SERVICE_PORT} -j ${SVC}`)
  }
  ports.forEach((port, i) => {
    const left = ports.length - i
    const pick = left > 1 ? `-m statistic --mode random --probability ${(1 / left).toFixed(11)} ` : ''
    lines.push(`-A ${SVC} ${pick}-j KUBE-SEP-${port}`)
    lines.push(`-A KUBE-SEP-${port} -p tcp -m tcp -j DNAT --to-destination 127.0.0.1:${port}`)
  })
  // No ready endpoint: kube-proxy rejects the connection (here: the DNAT-less packet is refused,
  // nothing listens on 127.0.0.100:80).
  lines.push('COMMIT', '')
  return lines.join('\n')
}

/** One readiness probe: a fresh connection, as the kubelet makes. */
function probe(port: number, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

interface Endpoint {
  readonly replica: Replica
  ready: boolean
  failures: number
  becameReady: (() => void) | undefined
}

/** The Service and its endpoints controller, as the rollout's balancer. */
export async function kubeProxy(timing: ProbeTiming): Promise<Balancer> {
  const endpoints: Endpoint[] = []
  let installed = false
  let synced = ''
  let syncing = Promise.resolve()
  const sync = (): Promise<void> => {
    syncing = syncing.then(async () => {
      const ports = endpoints.filter((e) => e.ready).map((e) => e.replica.port)
      const key = ports.join(',')
      if (installed && key === synced) return
      await iptablesRestore(serviceRules(ports, installed))
      installed = true
      synced = key
    })
    return syncing
  }
  await sync()
  let stopped = false
  const probeAll = async (): Promise<void> => {
    const changed = await Promise.all(
      endpoints.map(async (endpoint) => {
        const ok = await probe(endpoint.replica.port, timing.checkTimeout)
        endpoint.failures = ok ? 0 : endpoint.failures + 1
        if (ok && !endpoint.ready) endpoint.ready = true
        else if (!ok && endpoint.ready && endpoint.failures >= timing.fall) endpoint.ready = false
        else return false
        return true
      }),
    )
    if (changed.some(Boolean)) await sync()
    for (const endpoint of endpoints) if (endpoint.ready) endpoint.becameReady?.()
  }
  // Every period, whatever the last round took (the kubelet's ticker).
  const timer = setInterval(() => {
    if (!stopped) void probeAll()
  }, timing.interval)
  return {
    host: SERVICE_HOST,
    port: SERVICE_PORT,
    route(replica) {
      return new Promise((resolve, reject) => {
        const endpoint: Endpoint = { replica, ready: false, failures: 0, becameReady: undefined }
        const late = setTimeout(() => reject(new Error(`replica ${replica.port} never ready`)), 10_000)
        endpoint.becameReady = () => {
          endpoint.becameReady = undefined
          clearTimeout(late)
          resolve()
        }
        endpoints.push(endpoint)
      })
    },
    async unroute(replica) {
      const at = endpoints.findIndex((e) => e.replica === replica)
      if (at !== -1) endpoints.splice(at, 1)
      await sync()
    },
    async stop() {
      stopped = true
      clearInterval(timer)
      endpoints.length = 0
      await sync()
    },
  }
}
