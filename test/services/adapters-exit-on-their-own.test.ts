import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { connect, type NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ShutdownReport } from '../../src/index.js'
import { detailsOf } from '../fixtures/services/stop-on-sigterm.js'
import { exitWithin, type Fixture, jsonLine, runFixture } from './child.js'

/** SIGTERM once the fixture has work in flight; it must exit with 0, on its own, within `ms`. */
async function stopAndExit(
  fixture: Fixture,
  ms = 5_000,
): Promise<{ report: ShutdownReport; exitMs: number }> {
  const sent = performance.now()
  fixture.child.kill('SIGTERM')
  const exit = await exitWithin(fixture, ms)
  expect(exit, fixture.stderr()).toMatchObject({ code: 0, signal: null })
  const report = jsonLine<ShutdownReport>(fixture, 'report:')
  expect(report.ok).toBe(true)
  return { report, exitMs: exit.at - sent }
}

describe('each adapter lets the work in flight complete, then the process exits on its own', () => {
  it('pg: 5 queries in flight (3 queued) complete', async () => {
    const fixture = runFixture('exit-pg')
    await fixture.line((line) => line === 'ready')
    const { report } = await stopAndExit(fixture)
    expect(jsonLine(fixture, 'work:')).toEqual({ completed: 5 })
    expect(detailsOf(report, 'pg')).toMatchObject({ inFlight: 5, closed: 2 })
  })

  it('mysql: 5 queries in flight (3 queued) complete', async () => {
    const fixture = runFixture('exit-mysql')
    await fixture.line((line) => line === 'ready')
    const { report } = await stopAndExit(fixture)
    expect(jsonLine(fixture, 'work:')).toEqual({ completed: 5 })
    expect(detailsOf(report, 'mysql')).toMatchObject({ inFlight: 5, closed: 2 })
  })

  describe('with Redis', () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true })
    beforeAll(() => redis.connect())
    afterAll(() => redis.quit())

    it('redis: 2,001 commands in flight get their replies before QUIT', async () => {
      const key = `gl-test:${randomUUID()}`
      const fixture = runFixture('exit-redis', [key])
      await fixture.line((line) => line === 'ready')
      const { report } = await stopAndExit(fixture)
      expect(jsonLine(fixture, 'work:')).toEqual({ completed: 2_001 })
      expect(await redis.get(key)).toBe('2000')
      expect(detailsOf(report, 'redis')).toMatchObject({ status: 'ready', quit: true })
      await redis.del(key)
    })

    it('bullmq: 5 active jobs finish before the worker closes', async () => {
      const name = `gl-test-${randomUUID()}`
      const fixture = runFixture('exit-bullmq', [name])
      await fixture.line((line) => line === 'ready')
      const { report } = await stopAndExit(fixture, 8_000)
      expect(fixture.lines.filter((line) => line.startsWith('done:'))).toHaveLength(5)
      expect(detailsOf(report, 'bullmq')).toMatchObject({ inFlight: 5, completed: 5, failed: 0 })
      const queue = new Queue(name, { connection: redis })
      expect(await queue.getJobCounts('completed', 'active', 'wait')).toEqual({
        completed: 5,
        active: 0,
        wait: 0,
      })
      await queue.obliterate({ force: true })
      await queue.close()
    })
  })

  describe('with NATS', () => {
    let nc: NatsConnection
    beforeAll(async () => {
      nc = await connect({ servers: '127.0.0.1:4222' })
    })
    afterAll(() => nc.close())

    it('nats: 5 requests being answered get their replies, then the connection drains', async () => {
      const subject = `gl.test.${randomUUID()}`
      const fixture = runFixture('exit-nats', [subject])
      await fixture.line((line) => line === 'ready')
      const requests = Array.from({ length: 5 }, (_, n) =>
        nc.request(subject, new TextEncoder().encode(String(n)), { timeout: 3_000 }),
      )
      await fixture.line((line) => line === 'received:5')
      const { report } = await stopAndExit(fixture)
      const replies = await Promise.all(requests)
      expect(replies.map((reply) => new TextDecoder().decode(reply.data))).toEqual(
        Array.from({ length: 5 }, (_, n) => `reply to ${n}`),
      )
      expect(detailsOf(report, 'nats')).toMatchObject({ drained: true, inMsgs: 5, outMsgs: 5 })
      // Nobody listens any more.
      await expect(nc.request(subject, new Uint8Array(), { timeout: 500 })).rejects.toThrow()
    })
  })
})
