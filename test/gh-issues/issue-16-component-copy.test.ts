import { EventEmitter } from 'node:events'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { bullmqWorker } from '../../src/adapters/bullmq/index.js'
import { pgPool } from '../../src/adapters/pg/index.js'
import { fastifyApp } from '../../src/fastify/index.js'
import { drainDelay, health } from '../../src/health/index.js'
import { httpServer } from '../../src/http/index.js'
import { type Component, Lifecycle, type ShutdownReport } from '../../src/index.js'
import { consumer, worker } from '../../src/workers/index.js'

// Issue 16 §1: a component is plain data. What it does when registered is its `attach` member, so
// `{ ...component, timeout }` is the same component, and nothing needs a reference to the lifecycle.

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )

/** One request on a keep-alive agent; its socket then stays open and idle. */
function idleConnection(port: number, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume()
        res.on('end', () => resolve())
      })
      .on('error', reject)
  })
}

function hook(report: ShutdownReport, name: string) {
  const found = report.phases.flatMap((phase) => phase.hooks).find((h) => h.name === name)
  if (found === undefined) throw new Error(`no hook ${name} in the report`)
  return found
}

let lifecycle: Lifecycle | undefined
afterEach(async () => {
  await lifecycle?.stop().catch(() => {})
  lifecycle = undefined
})

describe('a spread copy of a component is the same component', () => {
  it('httpServer(): the copy with its own timeout drains an idle keep-alive connection at once', async () => {
    const server = http.createServer((_req, res) => res.end('ok'))
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register({ ...httpServer(server, { idleGrace: 0 }), timeout: 3_000 })
    const port = await listen(server)
    const agent = new http.Agent({ keepAlive: true })
    await idleConnection(port, agent)
    const report = await lifecycle.stop()
    const drained = hook(report, 'http')
    // Before issue 16 the copy tracked nothing: `timeout` after 3,005 ms with `connections=0`.
    expect(drained).toMatchObject({ status: 'ok', budgetMs: 3_000, details: { idleClosed: 1 } })
    expect(drained.durationMs).toBeLessThan(3_000)
    expect(server.listening).toBe(false)
    agent.destroy()
  })

  it('httpServer(): the original and its copy cannot both claim the server', () => {
    const server = http.createServer()
    const original = httpServer(server)
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(original)
    expect(() => lifecycle?.register({ ...original, name: 'http-copy' })).toThrow(/tracked once/)
    expect(lifecycle.running).toEqual([])
  })

  it('pgPool() and bullmqWorker(): the copy adds its listeners at register() and removes them after', () => {
    const pool = new pg.Pool()
    const jobs = Object.assign(new EventEmitter(), { close: async () => {}, isRunning: () => true })
    for (const [emitter, component, event] of [
      [pool, pgPool(pool), 'acquire'],
      [jobs, bullmqWorker(jobs), 'active'],
    ] as const) {
      const copy = { ...component, timeout: 1_000 }
      const owner = new Lifecycle({ logger: false })
      const before = emitter.listenerCount(event)
      const unregister = owner.register(copy)
      expect(emitter.listenerCount(event)).toBe(before + 1)
      unregister()
      expect(emitter.listenerCount(event)).toBe(before)
    }
  })

  it("health(): a copy registered answers through the original's handlers", async () => {
    const probes = health()
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register({ ...probes })
    expect(probes.status().ready).toBe(false)
    await lifecycle.start()
    expect(probes.status()).toEqual({ ready: true, live: true, state: 'running' })
    const stopping = lifecycle.stop()
    expect(probes.status().ready).toBe(false)
    await stopping
  })

  it("worker(): a copy with onCrash: 'stop' stops its lifecycle, with no lifecycle option", async () => {
    const crash = new Error('lost the connection')
    lifecycle = new Lifecycle({ logger: false })
    const original = worker(
      async () => {
        throw crash
      },
      { name: 'poller', onCrash: 'stop' },
    )
    lifecycle.register({ ...original, timeout: 1_000 })
    const stopping = new Promise((resolve) => lifecycle?.once('stopping', resolve))
    await lifecycle.start()
    expect(await stopping).toEqual({ type: 'error', error: expect.objectContaining({ cause: crash }) })
    const failed = await lifecycle.stop().catch((error: { report: ShutdownReport }) => error.report)
    expect(hook(failed, 'poller')).toMatchObject({ status: 'error', budgetMs: 1_000 })
  })

  it("consumer(): a copy logs through the lifecycle's logger it was registered with", async () => {
    const lines: unknown[][] = []
    const logger = { info() {}, warn() {}, error: (...args: unknown[]) => void lines.push(args) }
    lifecycle = new Lifecycle({ logger })
    const items = ['a']
    const original = consumer<string>(
      { next: async () => items.shift() },
      async () => {
        throw new Error('bad item')
      },
      { name: 'jobs' },
    )
    lifecycle.register({ ...original })
    const logged = new Promise<void>((resolve) => {
      logger.error = (...args: unknown[]) => {
        lines.push(args)
        resolve()
      }
    })
    await lifecycle.start()
    await logged
    expect(String(lines[0]?.[0])).toMatch(/a handler of consumer `jobs` failed/)
  })

  it('drainDelay(): the copy keeps its budget check, under the name it is registered with', () => {
    const owner = new Lifecycle({ logger: false, timeout: 1_000 })
    owner.register({ ...drainDelay(5_000), name: 'delay-copy' })
    // Before: the check named the original (`drain-delay`), a component the report never shows.
    expect(owner.checkBudgets().join('\n')).toMatch(/component `delay-copy`: its drain delay \(5000 ms\)/)
    expect(owner.checkBudgets().join('\n')).not.toMatch(/`drain-delay`/)
  })

  it('fastifyApp(): the copy drains the server and closes the app', async () => {
    const app = Fastify()
    app.get('/', async () => 'ok')
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.register({ ...fastifyApp(app, { idleGrace: 0 }), timeout: 4_000 })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const agent = new http.Agent({ keepAlive: true })
    await idleConnection((app.server.address() as AddressInfo).port, agent)
    const report = await lifecycle.stop()
    expect(hook(report, 'fastify')).toMatchObject({ status: 'ok', details: { idleClosed: 1 } })
    agent.destroy()
  })

  it('a refused copy leaves nothing behind: no listener, no claim', () => {
    const server = http.createServer()
    lifecycle = new Lifecycle({ logger: false })
    lifecycle.onStop('http', () => {})
    const copy: Component = { ...httpServer(server) }
    expect(() => lifecycle?.register(copy)).toThrow(/to be unique/)
    expect(server.listenerCount('request')).toBe(0)
    // Not claimed: another lifecycle may take it.
    new Lifecycle({ logger: false }).register(copy)
  })
})
