/**
 * bunServer() and denoServer() on Node: the checks at the call and the claim at registration. What
 * they do with a real Bun.serve() / Deno.serve() server runs on those runtimes (test/runtimes/).
 */
import { describe, expect, it } from 'vitest'
import { bunServer } from '../../src/bun/index.js'
import { denoServer } from '../../src/deno/index.js'
import { ErrorCode, Lifecycle, Priority } from '../../src/index.js'

// The shapes the factories accept: what Bun.serve() and Deno.serve() return, as far as they use it.
const bunLike = () => ({ stop: () => Promise.resolve(), pendingRequests: 0, pendingWebSockets: 0 })
const denoLike = () => ({ shutdown: () => Promise.resolve(), finished: Promise.resolve() })

describe.each([
  [
    'bunServer',
    (server: unknown, options?: unknown) => bunServer(server as never, options as never),
    bunLike,
  ],
  [
    'denoServer',
    (server: unknown, options?: unknown) => denoServer(server as never, options as never),
    denoLike,
  ],
] as const)('%s()', (name, factory, server) => {
  it('refuses what is not the server its runtime returns, at the call', () => {
    for (const bad of [undefined, null, 42, {}, { stop: 1, shutdown: 1 }]) {
      expect(() => factory(bad)).toThrow(TypeError)
    }
    expect(() => factory({})).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_ARGUMENT,
        message: expect.stringMatching(
          new RegExp(`^Expected \`server\` of \`${name}\\(\\)\` to be the server`),
        ),
      }),
    )
  })

  it('refuses bad options, naming the component and the field', () => {
    expect(() => factory(server(), { timeout: -1 })).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('`timeout`'),
        code: ErrorCode.INVALID_ARGUMENT,
      }),
    )
    expect(() => factory(server(), { priority: Number.NaN })).toThrow(TypeError)
    expect(() => factory(server(), { name: '' })).toThrow(TypeError)
    expect(() => factory(server(), { idleGrace: 5 })).toThrow(/idleGrace/)
    expect(() => factory(server(), 'fast')).toThrow(TypeError)
  })

  it('is a component named `http` at Priority.INGRESS, with its options', () => {
    expect(factory(server())).toMatchObject({ name: 'http', priority: Priority.INGRESS })
    expect(factory(server(), { name: 'api', priority: 5, timeout: 3_000 })).toMatchObject({
      name: 'api',
      priority: 5,
      timeout: 3_000,
    })
  })

  it('claims its server: a second component for a registered server is refused', () => {
    const one = server()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(factory(one))
    expect(() => new Lifecycle({ logger: false }).register(factory(one, { name: 'again' }))).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    )
  })

  it('reports its runtime and what it cannot do there in the stop’s details', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(factory(server()))
    await lifecycle.start()
    const report = await lifecycle.stop()
    const details = report.phases[0]?.hooks[0]?.details
    expect(details).toMatchObject({ runtime: expect.stringMatching(/^node \d+\.\d+\.\d+$/), forced: false })
    expect(details?.degraded).toEqual(expect.arrayContaining([expect.stringContaining('idle connections')]))
  })
})
