/**
 * Seed 003 (second experiment) and seed 001 (`gracefulExitWebWithTimeout`): the handler takes 10 s,
 * the shutdown budget is 3 s. After Ctrl+C the process waits 3 s, then cuts the request and exits:
 * the client's connection is closed without an answer. The report names the hook that ran out of
 * time and the exit code is 1: a stop that had to cut work is not a clean one.
 *
 *   npx tsx examples/seeds/budget-cuts-long-request/index.ts
 *   curl localhost:8080/slow          # then Ctrl+C: "curl: (52) Empty reply from server" 3 s later
 *
 * `SLOW_MS` (default 10000) is the handler's time, `BUDGET_MS` (default 3000) the budget.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'
import { httpServer } from 'graceful-lifecycle/http'

const slowMs = Number(process.env.SLOW_MS ?? 10_000)
const budgetMs = Number(process.env.BUDGET_MS ?? 3_000)
const lifecycle = new Lifecycle({ timeout: budgetMs + 2_000 })

const server = createServer(async (_req, res) => {
  console.log('[start] SlowHandler')
  await sleep(slowMs)
  console.log('[end] SlowHandler')
  res.end('{"message":"success"}\n')
})
lifecycle.register(httpServer(server, { timeout: budgetMs }))

let stoppingAt = 0
lifecycle.on('stopping', (reason) => {
  stoppingAt = performance.now()
  console.log(`got a signal ${reason.type === 'signal' ? reason.signal : reason.type}`)
})
lifecycle.on('stopped', () => {
  // The seed's `fmt.Println("------exited--------", time.Since(now))`.
  console.log(`------exited-------- ${((performance.now() - stoppingAt) / 1000).toFixed(2)}s`)
})
lifecycle.handleSignals()
await lifecycle.start()
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`)
})
