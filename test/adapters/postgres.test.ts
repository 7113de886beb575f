import pg from 'pg'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { postgresSql } from '../../src/adapters/postgres/index.js'
import { Lifecycle, Priority } from '../../src/index.js'

describe('postgresSql()', () => {
  it.each([
    ['undefined', undefined],
    ['a connection string', 'postgres://localhost'],
    ['a pg Pool (end() but no begin()/unsafe())', new pg.Pool()],
  ])('refuses %s at the call with a TypeError naming `sql`', (_, value) => {
    const call = () => postgresSql(value as never)
    expect(call).toThrow(TypeError)
    expect(call).toThrow(/Expected `sql` of `postgresSql\(\)` to be a postgres.js sql/)
  })

  it('refuses bad options', () => {
    const sql = postgres({ host: '127.0.0.1', port: 1 })
    expect(() => postgresSql(sql, { timeout: -1 })).toThrow(/`options.timeout`/)
    expect(() => postgresSql(sql, { max: 2 } as never)).toThrow(/Unknown option `max`/)
  })

  it('is a component at Priority.RESOURCES named `postgres`; an sql that never connected ends at once', async () => {
    const sql = postgres({ host: '127.0.0.1', port: 1 })
    const component = postgresSql(sql, { timeout: 2_000 })
    expect(component).toMatchObject({ name: 'postgres', priority: Priority.RESOURCES, timeout: 2_000 })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(component)
    const report = await lifecycle.stop()
    expect(report.phases[0]?.hooks[0]).toMatchObject({ status: 'ok', details: { ended: true } })
    // The timeout handed to postgres.js is what was left of the budget (plus the 50 ms margin).
    const timeoutS = report.phases[0]?.hooks[0]?.details?.timeoutS as number
    expect(timeoutS).toBeGreaterThan(1)
    // Date.now() ticks in whole ms: the deadline read back through it may be up to 1 ms later (plus rounding).
    expect(timeoutS).toBeLessThanOrEqual(2.052)
    await expect(sql`select 1`).rejects.toThrow(/CONNECTION_ENDED/)
  })
})
