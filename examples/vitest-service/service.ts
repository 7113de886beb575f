/**
 * A service written so that its shutdown can be tested: `createService()` builds everything and
 * returns the lifecycle; `main.ts` runs it under `handleSignals()`, and `service.test.ts` stops it
 * with `await lifecycle.stop()` and checks the report.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle, Priority } from 'graceful-lifecycle'
import { httpServer } from 'graceful-lifecycle/http'

export interface Service {
  readonly lifecycle: Lifecycle
  readonly server: Server
  /** Audit rows written by background work the responses did not wait for. */
  readonly audit: string[]
  /** Starts the lifecycle and listens; resolves with the base URL. */
  listen(port?: number): Promise<string>
}

export function createService(options: { logger?: false } = {}): Service {
  const lifecycle = new Lifecycle({ timeout: 10_000, ...options })
  const audit: string[] = []
  const server = createServer(async (req, res) => {
    if (req.url?.startsWith('/slow')) await sleep(300)
    // Fire-and-forget work the process must still finish: the WaitGroup.
    lifecycle.track(async () => {
      await sleep(100)
      audit.push(`${req.method} ${req.url}`)
    })
    res.end('ok\n')
  })
  lifecycle.register(httpServer(server, { timeout: 5_000 }))
  lifecycle.onStop(
    'flush-audit',
    ({ details }) => {
      details.rows = audit.length
    },
    { priority: Priority.TELEMETRY },
  )
  return {
    lifecycle,
    server,
    audit,
    listen: async (port = 0) => {
      await lifecycle.start()
      await new Promise<void>((resolve) => server.listen(port, resolve))
      return `http://localhost:${(server.address() as AddressInfo).port}`
    },
  }
}
