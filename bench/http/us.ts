/** Our variant: a `Lifecycle` with the `httpServer()` component, stopped on SIGTERM. */
import type { Server } from 'node:http'
import { Lifecycle } from '../../src/index.js'
import type { Component } from '../../src/types.js'
import type { Details } from './variants.js'

type HttpServerFactory = (server: Server, options: { timeout: number }) => Component

export async function attachUs(server: Server, budgetMs: number, report: Details): Promise<void> {
  // Imported by a computed path while src/http/index.ts is still being written, so that the peers run.
  const entry = '../../src/http/index.js'
  const { httpServer } = (await import(entry)) as { httpServer: HttpServerFactory }
  const lifecycle = new Lifecycle({ logger: false })
  lifecycle.register(httpServer(server, { timeout: budgetMs }))
  process.once('SIGTERM', () => {
    lifecycle.stop().then(
      (result) => {
        report({ ok: result.ok, hooks: result.phases.flatMap((phase) => phase.hooks) })
        process.exit(0)
      },
      (error: unknown) => {
        report({ ok: false, error: String(error) })
        process.exit(0)
      },
    )
  })
}
