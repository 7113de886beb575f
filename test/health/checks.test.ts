import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Health, health } from '../../src/health/index.js'
import { Lifecycle } from '../../src/index.js'

function response() {
  const res = {
    statusCode: 0,
    body: '',
    setHeader() {},
    done: undefined as Promise<void> | undefined,
    end(body?: string) {
      res.body = body ?? ''
      ended?.()
    },
  }
  let ended: (() => void) | undefined
  res.done = new Promise<void>((resolve) => {
    ended = resolve
  })
  return res
}

async function probe(handler: (req: unknown, res: ReturnType<typeof response>) => void) {
  const res = response()
  handler({}, res)
  await res.done
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let lifecycle: Lifecycle
afterEach(async () => {
  await lifecycle?.stop().catch(() => {})
})
/** Registers `probes` with this test's lifecycle: the handlers answer for it. */
function registered(probes: Health): Health {
  lifecycle.register(probes)
  return probes
}

describe('health({ checks })', () => {
  it('reports each check in the readiness body, and fails readiness while one fails', async () => {
    lifecycle = new Lifecycle({ logger: false })
    let dbUp = true
    const { readiness } = registered(
      health({
        interval: 0,
        checks: {
          db: () => {
            if (!dbUp) throw new Error('connection refused')
          },
          broker: { check: async () => true, timeout: 500 },
        },
      }),
    )
    await lifecycle.start()
    const ok = await probe(readiness)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      status: 'ok',
      state: 'running',
      checks: { db: { status: 'ok' }, broker: { status: 'ok' } },
    })
    dbUp = false
    const failing = await probe(readiness)
    expect(failing.status).toBe(503)
    expect(failing.body).toMatchObject({
      status: 'unavailable',
      checks: { db: { status: 'error', error: { name: 'Error' } }, broker: { status: 'ok' } },
    })
    dbUp = true
    expect((await probe(readiness)).status).toBe(200)
  })

  it('never lets a check decide liveness', async () => {
    lifecycle = new Lifecycle({ logger: false })
    const { readiness, liveness, status } = registered(
      health({
        checks: { db: () => Promise.reject(new Error('down')) },
      }),
    )
    await lifecycle.start()
    expect((await probe(readiness)).status).toBe(503)
    const live = await probe(liveness)
    expect(live.status).toBe(200)
    expect(live.body).toEqual({ status: 'ok', state: 'running' })
    expect(status()).toMatchObject({ ready: false, live: true })
  })

  it('runs a check at most once per interval however many probes arrive, sharing a run under way', async () => {
    lifecycle = new Lifecycle({ logger: false })
    let runs = 0
    const { readiness } = registered(
      health({
        checks: {
          db: {
            check: async () => {
              runs++
              await sleep(30)
            },
            interval: 60_000,
          },
        },
      }),
    )
    await lifecycle.start()
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe(readiness)))
    for (let i = 0; i < 20; i++) answers.push(await probe(readiness))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    expect(runs).toBe(1)
  })

  it('runs it again once the interval has passed', async () => {
    lifecycle = new Lifecycle({ logger: false })
    let runs = 0
    const { check } = registered(health({ interval: 50, checks: { db: () => void runs++ } }))
    await lifecycle.start()
    // The interval on a clock the test moves: a loaded machine cannot stretch it.
    let now = 1_000
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now)
    try {
      await check()
      now += 49
      await check()
      expect(runs).toBe(1)
      now += 1
      await check()
      expect(runs).toBe(2)
    } finally {
      clock.mockRestore()
    }
  })

  it('counts a check that outlives its timeout as failed, and aborts its signal', async () => {
    lifecycle = new Lifecycle({ logger: false })
    let aborted: unknown
    const { readiness } = registered(
      health({
        checks: {
          db: {
            timeout: 50,
            check: ({ signal }) =>
              new Promise((resolve) => {
                signal.addEventListener('abort', () => {
                  aborted = signal.reason
                  resolve(undefined)
                })
              }),
          },
        },
      }),
    )
    await lifecycle.start()
    const started = performance.now()
    const answer = await probe(readiness)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(answer.status).toBe(503)
    expect(answer.body).toMatchObject({ checks: { db: { status: 'timeout' } } })
    expect((answer.body.checks as { db: { error: unknown } }).db.error).toEqual({
      name: 'CheckTimeoutError',
      code: 'GL_ERR_CHECK_TIMEOUT',
    })
    expect(aborted).toBeInstanceOf(Error)
  })

  it('abandons a check under way when a stop begins, whatever the check does with its signal', async () => {
    lifecycle = new Lifecycle({ logger: false })
    const { check } = registered(
      health({
        checks: { db: { check: () => new Promise(() => {}), timeout: 60_000 } },
      }),
    )
    await lifecycle.start()
    const checking = check()
    const started = performance.now()
    await lifecycle.stop()
    const status = await checking
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(status).toMatchObject({ ready: false, checks: { db: { status: 'error' } } })
    expect(status.checks?.db?.error).toEqual({ name: 'CheckAbandonedError', code: 'GL_ERR_CHECK_ABANDONED' })
  })

  it('treats a check that resolves false as failed', async () => {
    lifecycle = new Lifecycle({ logger: false })
    const { check } = registered(health({ checks: { cache: () => false } }))
    await lifecycle.start()
    expect((await check()).checks?.cache).toMatchObject({
      status: 'error',
      error: { name: 'CheckFalseError', code: 'GL_ERR_CHECK_FALSE' },
    })
  })

  it('is not ready before the start and pings nothing once a stop begins', async () => {
    lifecycle = new Lifecycle({ logger: false })
    let runs = 0
    const { readiness } = registered(health({ interval: 0, checks: { db: () => void runs++ } }))
    lifecycle.onStop('slow', () => sleep(50))
    expect((await probe(readiness)).status).toBe(503)
    expect(runs).toBe(0)
    await lifecycle.start()
    expect((await probe(readiness)).status).toBe(200)
    const stopping = lifecycle.stop()
    const during = await probe(readiness)
    await stopping
    expect(during).toMatchObject({ status: 503, body: { state: 'stopping' } })
    expect(runs).toBe(1)
  })

  it('keeps its state per health() call: two instances do not share results', async () => {
    lifecycle = new Lifecycle({ logger: false })
    const failing = registered(health({ name: 'failing', checks: { db: () => false } }))
    const passing = registered(health({ name: 'passing', checks: { db: () => true } }))
    await lifecycle.start()
    expect((await failing.check()).ready).toBe(false)
    expect((await passing.check()).ready).toBe(true)
  })

  it('throws a TypeError for bad options, at the call', () => {
    lifecycle = new Lifecycle({ logger: false })
    expect(() => health({ checks: { db: 1 as never } })).toThrow(
      /^Expected `checks.db` of `health\(\)` to be a function or `\{ check, timeout\?, interval\? \}`, got `1` \(number\)/,
    )
    expect(() => health({ checks: { db: { check: () => {}, timeout: 0 } } })).toThrow(
      /^Expected `checks.db.timeout` of `health\(\)` to be a positive number of milliseconds up to 2147483647/,
    )
    expect(() => health({ checks: { db: { check: 'ping' as never } } })).toThrow(
      /^Expected `checks.db.check` of `health\(\)` to be a function/,
    )
    expect(() => health({ checks: { db: { check: () => {}, every: 1 } as never } })).toThrow(
      /^Unknown option `every` in `checks.db`/,
    )
    expect(() => health({ checks: { '': () => {} } })).toThrow(/^Expected `checks` of `health\(\)`/)
    expect(() => health({ interval: -1 })).toThrow(/^Expected `interval` of `health\(\)`/)
    expect(() => health({ timeout: Number.NaN })).toThrow(/^Expected `timeout` of `health\(\)`/)
    expect(() => health({ check: {} } as never)).toThrow(/^Unknown option `check`/)
    expect(() => health('x' as never)).toThrow(TypeError)
  })
})
