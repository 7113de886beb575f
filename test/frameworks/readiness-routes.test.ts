// The readiness routes of docs/frameworks.md, each in its framework's own idiom: 200 while the
// service runs, 503 from the moment the stop begins, while the framework still serves.
import 'reflect-metadata'
import type { AddressInfo } from 'node:net'
import { Controller, Get, Inject, Module, ServiceUnavailableException } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import Fastify from 'fastify'
import { describe, expect, test } from 'vitest'
import { fastifyApp } from '../../src/fastify/index.js'
import { type Health, health } from '../../src/health/index.js'
import { Lifecycle, Priority } from '../../src/index.js'
import { nestjsApp } from '../../src/nestjs/index.js'

/** A stop hook at DRAIN that holds the stop until released: readiness is asked during it. */
function holdTheStop(lifecycle: Lifecycle): { held: Promise<void>; release: () => void } {
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const held = new Promise<void>((resolve) =>
    lifecycle.onStop(
      'hold',
      () => {
        resolve()
        return released
      },
      { priority: Priority.DRAIN },
    ),
  )
  return { held, release }
}

async function readyz(port: number): Promise<{ status: number; body: { ready?: boolean; state?: string } }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`)
  return { status: response.status, body: (await response.json()) as { ready?: boolean; state?: string } }
}

describe('readiness as a route', () => {
  test('Fastify: app.get() on probes.check(), 200 then 503 once the stop begins', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const probes = health()
    const app = Fastify()
    app.get('/readyz', async (_request, reply) => {
      const status = await probes.check()
      return reply.code(status.ready ? 200 : 503).send(status)
    })
    lifecycle.register(probes)
    const { held, release } = holdTheStop(lifecycle)
    lifecycle.register(fastifyApp(app, { timeout: 5_000 }))
    await lifecycle.start()
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    expect(await readyz(port)).toMatchObject({ status: 200, body: { ready: true, state: 'running' } })
    const stopped = lifecycle.stop()
    await held
    expect(await readyz(port)).toMatchObject({ status: 503, body: { ready: false, state: 'stopping' } })
    release()
    expect((await stopped).ok).toBe(true)
  })

  test('NestJS: a controller that throws ServiceUnavailableException, 200 then 503 once the stop begins', async () => {
    // The docs' controller, its decorators applied as functions (tsx runs no legacy decorators).
    class HealthController {
      constructor(private readonly probes: Health) {}
      async readiness() {
        const status = await this.probes.check()
        if (!status.ready) throw new ServiceUnavailableException(status)
        return status
      }
    }
    Inject('HEALTH')(HealthController, undefined, 0)
    const method = Object.getOwnPropertyDescriptor(HealthController.prototype, 'readiness')
    if (method) Get('readyz')(HealthController.prototype, 'readiness', method)
    Controller()(HealthController)
    const probes = health()
    class AppModule {}
    Module({ controllers: [HealthController], providers: [{ provide: 'HEALTH', useValue: probes }] })(
      AppModule,
    )

    const lifecycle = new Lifecycle({ logger: false })
    const app = await NestFactory.create(AppModule, { logger: false })
    lifecycle.register(probes)
    const { held, release } = holdTheStop(lifecycle)
    lifecycle.register(nestjsApp(app, { timeout: 5_000 }))
    await lifecycle.start()
    await app.listen(0, '127.0.0.1')
    const { port } = app.getHttpServer().address() as AddressInfo
    expect(await readyz(port)).toMatchObject({ status: 200, body: { ready: true, state: 'running' } })
    const stopped = lifecycle.stop()
    await held
    expect(await readyz(port)).toMatchObject({ status: 503, body: { ready: false, state: 'stopping' } })
    release()
    expect((await stopped).ok).toBe(true)
  })
})
