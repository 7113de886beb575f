/**
 * Signals, exit codes and a forced second Ctrl+C, on a plain node:http server.
 *
 *   npx tsx examples/signals/index.ts
 *
 * Then press Ctrl+C once: the server stops taking requests, the slow `flush-queue` hook runs for
 * 2 s, the report is printed and the process exits 0. Press Ctrl+C a second time during those 2 s
 * (after a quarter of a second) and the stop is forced: the running hook is named, and the
 * process exits 130 at once. `kill -TERM <pid>` works the same way (143 when forced).
 * `curl localhost:3000/crash` throws outside any request handler: with `errors: true` that is an
 * ordered stop and exit 1.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Lifecycle, Priority } from 'graceful-lifecycle'

const lifecycle = new Lifecycle({ timeout: 10_000, hookTimeout: 5_000 })

const server = createServer((request, response) => {
  if (request.url === '/crash') {
    setTimeout(() => {
      throw new Error('crashed outside any request handler')
    })
  }
  response.end('hello\n')
})

lifecycle.register({
  name: 'http',
  priority: Priority.INGRESS,
  start: () => new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 3000), resolve)),
  stop: () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()))
      server.closeIdleConnections()
    }),
})

lifecycle.onStop(
  'flush-queue',
  async ({ signal, details }) => {
    // Pretend to hand 20 queued jobs back to the broker, 100 ms each, until told to stop.
    let flushed = 0
    while (flushed < 20 && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      details.flushed = ++flushed
    }
  },
  { priority: Priority.WORKERS },
)

lifecycle.handleSignals({ errors: true })

try {
  await lifecycle.start()
  console.log(
    `listening on http://localhost:${(server.address() as AddressInfo).port} (pid ${process.pid}); press Ctrl+C`,
  )
} catch (error) {
  // A signal during start() aborts it: handleSignals() stops what had started and exits.
  console.error(error)
}
