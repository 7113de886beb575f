/**
 * The six server kinds of the shared suite, each serving the same routes in its own idiom:
 * `/hello`, `/slow?ms=N`, `/hang` (never answers), `/ready` and `/live` (health), `/events`
 * (server-sent events that end on `requestSignal(req)`).
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import * as http from 'node:http'
import * as http2 from 'node:http2'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Fastify from 'fastify'
import Koa from 'koa'
import { WebSocketServer } from 'ws'
import { drainDelay, health } from '../../../src/health/index.js'
import {
  type HttpServerOptions,
  httpServer,
  requestSignal,
  type ServerLike,
} from '../../../src/http/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../../src/index.js'
import { selfSigned } from './cert.js'

export type KindName = 'http' | 'https' | 'http2' | 'express' | 'fastify' | 'koa'
export const KINDS: readonly KindName[] = ['http', 'https', 'http2', 'express', 'fastify', 'koa']

export interface Setup {
  /** `httpServer()` options (timeout defaults to 2000, idleGrace to 150 here). */
  readonly http?: HttpServerOptions
  /** Register `drainDelay(ms)` too. */
  readonly drainDelay?: number
  /** Attach a `ws` WebSocketServer (echo) and pass it to `httpServer()`. */
  readonly webSockets?: boolean
}

export interface Running {
  readonly kind: KindName
  /** TLS (https, http2 with allowHTTP1): clients connect with TLS. */
  readonly secure: boolean
  readonly port: number
  readonly server: ServerLike
  readonly lifecycle: Lifecycle
  readonly wss: WebSocketServer | undefined
  /** Handlers that have started (an in-flight counter). */
  readonly started: { count: number }
  /** Stops; resolves with the report even when the stop was not clean. */
  stop(): Promise<ShutdownReport>
}

export const TEST_IDLE_GRACE = 150

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const msOf = (url: string | undefined) =>
  Number(new URL(url ?? '/', 'http://x').searchParams.get('ms') ?? 100)

/** Opens an SSE stream that ends (cleanly) when `requestSignal` aborts. */
function events(req: object, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  res.write('data: hello\n\n')
  requestSignal(req).addEventListener('abort', () => res.end('event: bye\ndata: draining\n\n'))
}

export async function startServer(kind: KindName, setup: Setup = {}): Promise<Running> {
  const lifecycle = new Lifecycle({ logger: false, timeout: 10_000 })
  const probes = health()
  lifecycle.register(probes)
  const { readiness, liveness } = probes
  const started = { count: 0 }
  const plain = (req: IncomingMessage, res: ServerResponse): void => {
    started.count++
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/hello') res.end('hello')
    else if (path === '/slow') setTimeout(() => res.end('slow'), msOf(req.url))
    else if (path === '/hang') return
    else if (path === '/ready') readiness(req, res)
    else if (path === '/live') liveness(req, res)
    else if (path === '/events') events(req, res)
    else {
      res.statusCode = 404
      res.end()
    }
  }
  let server: ServerLike
  let listen: () => Promise<void>
  const listenOn = (s: { listen(port: number, host: string, cb: () => void): unknown }) => () =>
    new Promise<void>((resolve) => {
      s.listen(0, '127.0.0.1', resolve)
    })
  switch (kind) {
    case 'http':
      server = http.createServer(plain)
      listen = listenOn(server)
      break
    case 'https':
      server = https.createServer(selfSigned(), plain)
      listen = listenOn(server)
      break
    case 'http2':
      server = http2.createSecureServer({ ...selfSigned(), allowHTTP1: true }, plain as never)
      listen = listenOn(server)
      break
    case 'express': {
      const app = express()
      app.get('/hello', (_req, res) => {
        started.count++
        res.send('hello')
      })
      app.get('/slow', async (req, res) => {
        started.count++
        await sleep(msOf(req.url))
        res.send('slow')
      })
      app.get('/hang', () => {
        started.count++
      })
      app.get('/ready', readiness)
      app.get('/live', liveness)
      app.get('/events', (req, res) => {
        started.count++
        events(req, res)
      })
      server = http.createServer(app)
      listen = listenOn(server)
      break
    }
    case 'fastify': {
      const app = Fastify()
      app.get('/hello', async () => {
        started.count++
        return 'hello'
      })
      app.get('/slow', async (request) => {
        started.count++
        await sleep(msOf(request.url))
        return 'slow'
      })
      app.get('/hang', (_request, _reply) => {
        started.count++
      })
      app.get('/ready', (_request, reply) => {
        const { ready, state } = probes.status()
        reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', state })
      })
      app.get('/live', (_request, reply) => {
        reply.code(probes.status().live ? 200 : 503).send({})
      })
      app.get('/events', (request, reply) => {
        started.count++
        reply.hijack()
        events(request.raw, reply.raw)
      })
      server = app.server
      listen = async () => {
        await app.listen({ port: 0, host: '127.0.0.1' })
      }
      break
    }
    case 'koa': {
      const app = new Koa()
      const status = probes.status
      app.use(async (ctx) => {
        started.count++
        if (ctx.path === '/hello') ctx.body = 'hello'
        else if (ctx.path === '/slow') {
          await sleep(msOf(ctx.url))
          ctx.body = 'slow'
        } else if (ctx.path === '/hang') await new Promise(() => {})
        else if (ctx.path === '/ready') {
          ctx.status = status().ready ? 200 : 503
          ctx.body = { state: status().state }
        } else if (ctx.path === '/live') {
          ctx.status = status().live ? 200 : 503
          ctx.body = {}
        } else if (ctx.path === '/events') {
          ctx.respond = false
          events(ctx.req, ctx.res)
        }
      })
      server = http.createServer(app.callback())
      listen = listenOn(server)
      break
    }
  }
  let wss: WebSocketServer | undefined
  if (setup.webSockets) {
    wss = new WebSocketServer({ server: server as http.Server })
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)))
  }
  if (setup.drainDelay !== undefined) lifecycle.register(drainDelay(setup.drainDelay))
  lifecycle.register(
    httpServer(server, {
      timeout: 2_000,
      idleGrace: TEST_IDLE_GRACE,
      ...(wss === undefined ? {} : { webSocketServer: wss }),
      ...setup.http,
    }),
  )
  await lifecycle.start()
  await listen()
  const port = (server.address() as AddressInfo).port
  return {
    kind,
    secure: kind === 'https' || kind === 'http2',
    port,
    server,
    lifecycle,
    wss,
    started,
    stop: () =>
      lifecycle.stop().catch((error: unknown) => {
        if (error instanceof ShutdownError) return error.report
        throw error
      }),
  }
}

/** The `details` of the `httpServer()` hook in a report. */
export function httpDetails(report: ShutdownReport, name = 'http'): Record<string, unknown> {
  const hook = report.phases.flatMap((phase) => phase.hooks).find((h) => h.name === name)
  if (!hook) throw new Error(`no hook ${name} in the report`)
  return { status: hook.status, ...hook.details }
}
