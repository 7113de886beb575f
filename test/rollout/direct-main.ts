/**
 * `npm run test:direct`: the direct-client run of `test/http/direct-clients.test.ts`, several times
 * with and without a drain delay, for the figures in docs/http.md. Exits 1 when a request that was
 * written failed, or a POST was written twice or answered without being written.
 *
 *   npm run test:direct                  # 3 runs each of drainDelay(1000) and drainDelay(0)
 *   DIRECT_RUNS=10 npm run test:direct
 */
import { type DirectResult, direct, directLine } from './direct.js'

const runs = Number(process.env.DIRECT_RUNS ?? 3)
const results: DirectResult[] = []
for (let run = 1; run <= runs; run++) {
  for (const drainDelayMs of [1_000, 0]) {
    const result = await direct('graceful', {
      drainDelayMs,
      mixedLoops: 44,
      idleLoops: 3,
      idlePauseMs: 600,
      slowLoops: 3,
      slowMs: 1_500,
      warmMs: 1_500,
    })
    results.push(result)
    console.log(`run ${run} drainDelay(${drainDelayMs}) ${directLine(result)}`)
  }
}
const lost = results.reduce((sum, r) => sum + r.lost.length, 0)
const requests = results.reduce((sum, r) => sum + r.requests, 0)
const refused = results.reduce((sum, r) => sum + r.refused, 0)
console.log(`\nwritten then failed: ${lost} of ${requests} requests (refused before written: ${refused})`)

// The case no server can avoid: clients that open a new connection for every request, one of
// them connecting at the instant the listener closes (the kernel has accepted it, Node not yet).
// Reported, not asserted.
let fresh = 0
let freshRequests = 0
for (let run = 1; run <= runs; run++) {
  const result = await direct('graceful', {
    drainDelayMs: 1_000,
    mixedLoops: 40,
    idleLoops: 0,
    idlePauseMs: 0,
    slowLoops: 0,
    freshLoops: 10,
    slowMs: 1_500,
    warmMs: 1_500,
  })
  fresh += result.lost.length
  freshRequests += result.requests
  console.log(`run ${run} with 10 new-connection-per-request loops: ${directLine(result)}`)
}
console.log(`new connection per request: written then reset ${fresh} of ${freshRequests} requests`)
if (lost > 0 || results.some((r) => r.duplicated > 0 || r.answeredNotWritten > 0 || r.exitCode !== 0)) {
  console.error('FAILED')
  process.exit(1)
}
