import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, test } from 'vitest'
import { fastifyApp } from '../../src/fastify/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'
import { keepAliveLoad } from './support/load.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** What `fastify-plugin` does: the plugin's hooks apply to its parent, not an encapsulated child. */
function shared<T extends object>(plugin: T): T {
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true })
}

/** A Fastify app whose plugins record their preClose/onClose hooks and the requests in flight then. */
function app(options: { keepAliveTimeout?: number; onClose?: () => Promise<void> } = {}) {
  const events: string[] = []
  const state = { inflight: 0, served: 0 }
  const instance = Fastify({ keepAliveTimeout: options.keepAliveTimeout ?? 72_000 })
  // Two real plugins, encapsulated and not, the way a database plugin registers its close.
  void instance.register(
    shared(async (fastify: FastifyInstance) => {
      fastify.addHook('preClose', async () => {
        events.push(`preClose inflight=${state.inflight} served=${state.served}`)
      })
      fastify.addHook('onClose', async () => {
        await options.onClose?.()
        events.push(`db onClose inflight=${state.inflight} served=${state.served}`)
      })
    }),
  )
  void instance.register(async (child: FastifyInstance) => {
    child.addHook('onClose', async () => {
      events.push('cache onClose')
    })
  })
  instance.addHook('onRequest', async () => {
    state.inflight++
  })
  instance.addHook('onResponse', async () => {
    state.inflight--
    state.served++
  })
  instance.get('/hello', async () => 'hello')
  instance.get<{ Querystring: { ms?: string } }>('/slow', async (request) => {
    await sleep(Number(request.query.ms ?? 100))
    return 'slow'
  })
  instance.get('/hang', () => new Promise(() => {}))
  return { instance, events, state }
}

async function listen(instance: FastifyInstance): Promise<number> {
  await instance.listen({ port: 0, host: '127.0.0.1' })
  return (instance.server.address() as AddressInfo).port
}

function get(port: number, path: string, agent: http.Agent) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        )
      })
      .on('error', reject)
  })
}

async function stopped(lifecycle: Lifecycle): Promise<ShutdownReport> {
  try {
    return await lifecycle.stop()
  } catch (error) {
    if (error instanceof ShutdownError) return error.report
    throw error
  }
}

describe('fastifyApp(): drain through the HTTP hook, then app.close()', () => {
  test('without it, app.close() waits on one keep-alive socket that was busy when it began: onClose has not run after 3 s', async () => {
    const { instance, events, state } = app()
    const port = await listen(instance)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    const reply = get(port, '/slow?ms=300', agent)
    while (state.inflight < 1) await sleep(1) // in the handler
    let closed = false
    const closing = instance.close().then(() => {
      closed = true
    })
    // The request is answered, but with keep-alive: Fastify left the socket open, and close() waits for it.
    expect(await reply).toMatchObject({ status: 200, connection: 'keep-alive' })
    await sleep(3_000)
    expect(closed).toBe(false)
    expect(events).toEqual(['preClose inflight=1 served=0'])
    // Only its keepAliveTimeout (72 s) or the client ends it.
    agent.destroy()
    await closing
    expect(events).toContain('db onClose inflight=0 served=1')
  }, 20_000)

  test('without it, `onStop(() => app.close())` runs out its whole budget on that socket, and onClose never runs', async () => {
    const { instance, events, state } = app()
    const lifecycle = new Lifecycle({ logger: false, hookTimeout: 1_500 })
    lifecycle.onStop('fastify', () => instance.close(), { priority: 200 })
    const port = await listen(instance)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    const reply = get(port, '/slow?ms=300', agent)
    while (state.inflight < 1) await sleep(1) // in the handler
    const report = await stopped(lifecycle)

    expect(await reply).toMatchObject({ status: 200, connection: 'keep-alive' })
    expect(report.phases[0]?.hooks[0]).toMatchObject({ name: 'fastify', status: 'timeout' })
    expect(events).toEqual(['preClose inflight=1 served=0'])
  }, 20_000)

  test('with it, the same request gets `Connection: close`, and preClose/onClose run after the last response, in well under a second of drain', async () => {
    const { instance, events, state } = app()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(fastifyApp(instance, { idleGrace: 100, timeout: 10_000 }))
    const port = await listen(instance)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    const reply = get(port, '/slow?ms=300', agent)
    while (state.inflight < 1) await sleep(1) // in the handler
    const report = await lifecycle.stop()

    expect(await reply).toMatchObject({ status: 200, connection: 'close', body: 'slow' })
    expect(report.ok).toBe(true)
    const hook = report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({ name: 'fastify', status: 'ok', priority: 200 })
    expect(hook?.details).toMatchObject({ connections: 1, drained: 1, destroyed: 0, requests: 1 })
    expect(events).toEqual([
      'preClose inflight=0 served=1',
      'cache onClose',
      'db onClose inflight=0 served=1',
    ])
    // Generous: far from the 72 s keep-alive wait of app.close() alone.
    expect(report.durationMs).toBeLessThan(5_000)
    expect(instance.server.listening).toBe(false)
  }, 20_000)

  test('under keep-alive load nothing is dropped: every request is answered or refused before it was sent', async () => {
    const { instance, events, state } = app()
    const lifecycle = new Lifecycle({ logger: false })
    // 1 s: a load client starved past idleGrace (a busy machine) would be reset (docs/http.md).
    lifecycle.register(fastifyApp(instance, { idleGrace: 1_000 }))
    const port = await listen(instance)
    const load = keepAliveLoad(port, '/slow?ms=20', 6)
    cleanups.push(() => load.stop())
    await load.warm(30)
    const report = await lifecycle.stop()
    await sleep(100)
    const result = await load.stop()

    expect(result.failed, result.errors.join('\n')).toBe(0)
    expect(result.statuses).toEqual({ 200: result.ok })
    expect(result.ok).toBeGreaterThanOrEqual(30)
    expect(result.closing).toBeGreaterThan(0)
    expect(report.ok).toBe(true)
    expect(state.inflight).toBe(0)
    expect(events.at(-1)).toBe(`db onClose inflight=0 served=${result.ok}`)
  }, 30_000)

  test('a request that never ends is destroyed when the drain’s share of the budget runs out, and onClose still runs within the budget', async () => {
    const { instance, events, state } = app()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(fastifyApp(instance, { idleGrace: 50, timeout: 1_500, closeTimeout: 500 }))
    const port = await listen(instance)
    const agent = new http.Agent({ keepAlive: true })
    cleanups.push(() => agent.destroy())
    const hung = get(port, '/hang', agent).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    )
    while (state.inflight < 1) await sleep(1) // in the handler
    const report = await stopped(lifecycle)

    expect(await hung).toBe('ECONNRESET')
    const hook = report.phases[0]?.hooks[0]
    // The close ran, but a connection was cut: not a clean stop, and the report says which part ran out.
    expect(hook?.status).toBe('error')
    expect(String(hook?.error)).toContain('`fastify (drain)`')
    expect(hook?.details).toMatchObject({ destroyed: 1 })
    expect(events).toContainEqual(expect.stringMatching(/^db onClose/))
    expect(hook?.durationMs).toBeLessThan(1_500)
  }, 20_000)

  test('an onClose hook that hangs ends the component as `timeout` at its budget, naming it', async () => {
    const { instance } = app({ onClose: () => new Promise(() => {}) })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(fastifyApp(instance, { idleGrace: 50, timeout: 800 }))
    await listen(instance)
    const report = await stopped(lifecycle)
    const hook = report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({ name: 'fastify', status: 'timeout' })
    expect(String(hook?.error)).toContain('`fastify`')
  }, 20_000)
})

describe('fastifyApp(): bad input throws at the call', () => {
  test('not a Fastify instance', () => {
    expect(() => fastifyApp({} as never)).toThrow(
      'Expected `app` of `fastifyApp()` to be a Fastify instance (with `server`, `close()` and `addHook()`), got `{}` (object)',
    )
    expect(() => fastifyApp(http.createServer() as never)).toThrow(TypeError)
  })

  test('bad options, named by field; unknown keys refused', () => {
    expect(() => fastifyApp(Fastify(), { closeTimeout: -1 })).toThrow(
      'Expected `closeTimeout` of component `fastify` to be a number of milliseconds from 0 to 2147483647 (about 24.8 days, the longest a timer can wait), got `-1` (number)',
    )
    expect(() => fastifyApp(Fastify(), { name: '' })).toThrow('Expected `name` of `fastifyApp()`')
    expect(() => fastifyApp(Fastify(), { idleGrace: Number.NaN })).toThrow(
      '`idleGrace` of component `fastify`',
    )
    expect(() => fastifyApp(Fastify(), { timout: 1 } as never)).toThrow('Unknown option `timout`')
    expect(() => fastifyApp(Fastify(), null as never)).toThrow(
      'Expected `options` of `fastifyApp()` to be an object',
    )
  })

  test('one server, one component: the same app twice is refused once the first is registered', () => {
    // The server is claimed at register() (issue 8: a refused registration leaves nothing behind).
    const instance = Fastify()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(fastifyApp(instance))
    expect(() => fastifyApp(instance)).toThrow('tracked once')
    const other = new Lifecycle({ logger: false })
    expect(() => other.register(fastifyApp(instance, { name: 'again' }))).toThrow('tracked once')
  })
})
