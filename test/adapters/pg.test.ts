import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { pgPool } from '../../src/adapters/pg/index.js'
import { ErrorCode, Lifecycle, Priority } from '../../src/index.js'

describe('pgPool()', () => {
  it.each([
    ['undefined', undefined],
    ['a string', 'postgres://localhost'],
    ['an object without end()', { totalCount: 0, idleCount: 0, waitingCount: 0 }],
    ['a client (no pool counters)', new pg.Client()],
  ])('refuses %s at the call with a TypeError naming `pool`', (_, value) => {
    const call = () => pgPool(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(
      /Expected `pool` of `pgPool\(\)` to be a pg Pool \(an object with `end\(\)`, `totalCount`/,
    )
    expect(call).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
  })

  it.each([
    [{ name: '' }, /`options.name`/],
    [{ priority: Number.NaN }, /`options.priority`/],
    [{ timeout: -1 }, /`options.timeout`/],
    [{ pollInterval: 'fast' }, /`options.pollInterval`/],
    [{ timeuot: 5 }, /Unknown option `timeuot`/],
  ])('refuses bad options %o', (options, message) => {
    expect(() => pgPool(new pg.Pool(), options as never)).toThrow(message)
  })

  it('is a component at Priority.RESOURCES named `pg`, with the options given', () => {
    const pool = new pg.Pool()
    expect(pgPool(pool)).toMatchObject({ name: 'pg', priority: Priority.RESOURCES })
    expect(pgPool(pool, { name: 'replica', priority: 5, timeout: 3_000 })).toMatchObject({
      name: 'replica',
      priority: 5,
      timeout: 3_000,
    })
  })

  it('ends a pool that never connected at once, holding nothing', async () => {
    const pool = new pg.Pool()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(pgPool(pool))
    const report = await lifecycle.stop()
    expect(pool.ending).toBe(true)
    expect(report.phases[0]?.hooks[0]?.details).toMatchObject({ inFlight: 0, closed: 0 })
  })
})
