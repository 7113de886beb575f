import 'reflect-metadata'
import { Injectable, Module, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { describe, expect, test } from 'vitest'
import { Lifecycle } from '../../src/index.js'
import { nestjsApp } from '../../src/nestjs/index.js'
import { lines, runFixture, tempFile } from './support/child.js'
import { keepAliveLoad } from './support/load.js'

// test/fixtures/frameworks/nest.ts: a real Nest 11 app (Express adapter) in its own process, a
// provider with onModuleDestroy (400 ms) / beforeApplicationShutdown / onApplicationShutdown,
// and a lifecycle worker that needs 1 s to finish once the stop begins.
describe.concurrent('NestJS and handleSignals(), with a real SIGTERM', () => {
  test('enableShutdownHooks() + handleSignals(): the signal Nest re-sends after its close is not a second signal: the 1 s worker finishes, exit 0', async () => {
    const file = tempFile()
    const child = runFixture('nest', [file, 'shutdown-hooks'])
    await child.ready
    child.kill('SIGTERM')
    const exit = await child.exit

    expect(exit.code).toBe(0)
    const log = child.stdout() + child.stderr()
    expect(log).toContain('re-sent by a handler that removed its listener: ignored')
    expect(log).not.toContain('forcing it')
    const hooks = lines(file)
    expect(hooks).toContain('worker finishing')
    expect(hooks).toContain('worker done')
    expect(hooks).toContain('onApplicationShutdown SIGTERM')
  }, 60_000)

  test('today, under load: Nest destroys its modules while requests are still in flight (its close shuts the server after the hooks)', async () => {
    const file = tempFile()
    const child = runFixture('nest', [file, 'shutdown-hooks'])
    const port = await child.ready
    const load = keepAliveLoad(port, '/slow?ms=50', 4)
    await load.warm(20)
    child.kill('SIGTERM')
    await child.exit
    await load.stop()
    expect(lines(file)[0]).toMatch(/^onModuleDestroy inflight=[1-9]/)
  }, 60_000)

  test('nestjsApp() instead: the HTTP server drains first, then app.close() runs every Nest hook, the worker finishes, exit 0, nothing dropped', async () => {
    const file = tempFile()
    const child = runFixture('nest', [file, 'nest-app'])
    const port = await child.ready
    const load = keepAliveLoad(port, '/slow?ms=50', 4)
    await load.warm(20)
    const sent = child.kill('SIGTERM')
    const exit = await child.exit
    const result = await load.stop()

    expect(exit.code, child.stdout() + child.stderr()).toBe(0)
    expect(exit.at - sent).toBeLessThan(15_000)
    expect(result.failed, result.errors.join('\n')).toBe(0)
    expect(result.statuses).toEqual({ 200: result.ok })
    expect(result.ok).toBeGreaterThanOrEqual(20)
    expect(result.closing).toBeGreaterThan(0)
    const hooks = lines(file)
    expect(hooks.slice(0, 5)).toEqual([
      // Every request had ended before Nest destroyed the module that serves them.
      'onModuleDestroy inflight=0',
      'beforeApplicationShutdown SIGTERM',
      'onApplicationShutdown SIGTERM',
      'worker finishing',
      'worker done',
    ])
    expect(hooks[5]).toMatch(/^exit 0 /)
    const out = child.stdout()
    expect(out).toMatch(/stopped in [\d.]+ ms \(signal SIGTERM\): ok/)
    expect(out).toMatch(
      /INGRESS \(200\)[\s\S]*nestjs\s+ok[\s\S]*drained=\d+[\s\S]*closeMs=\d+[\s\S]*WORKERS[\s\S]*jobs\s+ok/,
    )
    expect(out + child.stderr()).not.toContain('forcing')
  }, 60_000)
})

class Store implements OnModuleDestroy, OnApplicationShutdown {
  readonly events: string[] = []
  onModuleDestroy(): void {
    this.events.push('onModuleDestroy')
  }
  onApplicationShutdown(signal?: string): void {
    this.events.push(`onApplicationShutdown ${signal}`)
  }
}
Injectable()(Store)
const store = new Store()
class StoreModule {}
Module({ providers: [{ provide: Store, useValue: store }] })(StoreModule)

describe('nestjsApp() in process', () => {
  test('an application context (no HTTP server) is closed at the component’s priority, with the reason’s signal', async () => {
    store.events.length = 0
    const context = await NestFactory.createApplicationContext(StoreModule, { logger: false })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(nestjsApp(context, { priority: -50 }))
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(
      report.phases.map((phase) => [phase.priority, phase.hooks[0]?.name, phase.hooks[0]?.status]),
    ).toEqual([[-50, 'nestjs', 'ok']])
    expect(store.events).toEqual(['onModuleDestroy', 'onApplicationShutdown undefined'])
  })

  test('an app with enableShutdownHooks() is refused at the call, naming the signals', async () => {
    const app = await NestFactory.create(StoreModule, { logger: false })
    app.enableShutdownHooks(['SIGTERM'])
    try {
      expect(() => nestjsApp(app)).toThrow(
        /^Expected `app` of `nestjsApp\(\)` to be an app without `enableShutdownHooks\(\)` .*, got `"listening to SIGTERM"` \(string\)$/,
      )
    } finally {
      await app.close()
    }
  })

  test('every signal (enableShutdownHooks() with no argument) is named by count, not cut mid-name', async () => {
    const app = await NestFactory.create(StoreModule, { logger: false })
    app.enableShutdownHooks()
    try {
      expect(() => nestjsApp(app)).toThrow(
        /, got `"listening to \d+ signals \(SIG\w+, SIG\w+, SIG\w+, …\)"` \(string\)$/,
      )
    } finally {
      await app.close()
    }
  })

  test('Nest 12 keeps the signals in `shutdownCleanupRefs` (a Map): an app with them is refused too', () => {
    // The shape `enableShutdownHooks(['SIGTERM'])` leaves on a Nest 12.6 app (nest-application-context.js);
    // this repository's Nest is 11, so the field stands in for the version.
    const nest12 = { close: async () => {}, shutdownCleanupRefs: new Map([['SIGTERM', () => {}]]) }
    expect(() => nestjsApp(nest12 as never)).toThrow(/, got `"listening to SIGTERM"` \(string\)$/)
    expect(() => nestjsApp({ ...nest12, shutdownCleanupRefs: new Map() } as never)).not.toThrow()
  })

  test('bad input', async () => {
    expect(() => nestjsApp({} as never)).toThrow(
      'Expected `app` of `nestjsApp()` to be a NestJS application (with `close()`), got `{}` (object)',
    )
    const context = await NestFactory.createApplicationContext(StoreModule, { logger: false })
    try {
      expect(() => nestjsApp(context, { closeTimeout: -1 })).toThrow(
        'Expected `closeTimeout` of component `nestjs` to be a number of milliseconds from 0 to 2147483647 (about 24.8 days, the longest a timer can wait)',
      )
      expect(() => nestjsApp(context, { idleGrace: 10 })).toThrow('the app has no HTTP server')
      expect(() => nestjsApp(context, { prority: 1 } as never)).toThrow('Unknown option `prority`')
    } finally {
      await context.close()
    }
  })
})
