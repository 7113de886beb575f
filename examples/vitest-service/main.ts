/**
 * The service of `service.ts`, as a process: SIGTERM or Ctrl+C stops it.
 *
 *   npx tsx examples/vitest-service/main.ts
 *   npx vitest run examples/vitest-service   # its shutdown, tested with `await lifecycle.stop()`
 */
import { createService } from './service.js'

const service = createService()
service.lifecycle.handleSignals()
console.log(`listening on ${await service.listen(Number(process.env.PORT ?? 3000))}`)
