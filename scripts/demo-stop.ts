/**
 * A small service that stops on SIGTERM the way the docs' screenshots show: run by
 * `scripts/screenshots.ts` in a real terminal (tmux), where the console logger colours its timeline.
 * `node --import tsx scripts/demo-stop.ts [report.json]` also writes the report's JSON there.
 */
import { writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle, Priority } from '../src/index.js'

const [out] = process.argv.slice(2)
const lifecycle = new Lifecycle({ timeout: 5_000, hookTimeout: 1_000 })
lifecycle.onStop('readiness', () => sleep(60), { priority: Priority.DRAIN })
lifecycle.onStop(
  'http',
  async ({ details }) => {
    await sleep(140)
    details.drained = 12
    details.closed = 3
  },
  { priority: Priority.INGRESS },
)
lifecycle.onStop('websockets', () => sleep(90), { priority: Priority.INGRESS })
lifecycle.onStop(
  'orders-consumer',
  ({ signal, details }) => {
    details.inFlight = 2
    signal.addEventListener('abort', () => {
      details.handedBack = 2
    })
    return new Promise(() => {})
  },
  { priority: Priority.WORKERS, timeout: 120 },
)
lifecycle.onStop('mail-worker', () => sleep(50), { priority: Priority.WORKERS })
lifecycle.onStop('pg-pool', () => sleep(25), { priority: Priority.RESOURCES })
lifecycle.onStop(
  'redis',
  async () => {
    await sleep(10)
    throw new Error('Connection is closed.')
  },
  { priority: Priority.RESOURCES },
)
lifecycle.onStop('otel-flush', () => sleep(30), { priority: Priority.TELEMETRY })
if (out !== undefined) lifecycle.on('stopped', (report) => writeFileSync(out, JSON.stringify(report)))
// The service's work keeps the process up until the stop ends it.
const work = setInterval(() => {}, 1_000)
lifecycle.onStop('scheduler', () => clearInterval(work), { priority: Priority.WORKERS })
lifecycle.handleSignals()
await lifecycle.start()
process.kill(process.pid, 'SIGTERM')
