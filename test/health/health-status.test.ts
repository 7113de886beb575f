import { describe, expect, it } from 'vitest'
import { health } from '../../src/health/index.js'
import { Lifecycle } from '../../src/index.js'

function response() {
  const headers: Record<string, string | number> = {}
  const res = {
    statusCode: 0,
    body: '',
    headers,
    setHeader(name: string, value: string | number) {
      headers[name] = value
    },
    end(body?: string) {
      res.body = body ?? ''
    },
  }
  return res
}

describe('health()', () => {
  it('is not ready before the start, ready while running, not ready once a stop begins', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const probes = health()
    let seenDuringStop: unknown
    lifecycle.onStop('probe', () => {
      seenDuringStop = probes.status()
    })
    const { status } = probes
    expect(status()).toEqual({ ready: false, live: true, state: 'idle' })
    lifecycle.register(probes)
    await lifecycle.start()
    expect(status()).toEqual({ ready: true, live: true, state: 'running' })
    const stopping = lifecycle.stop()
    expect(status()).toEqual({ ready: false, live: true, state: 'stopping' })
    await stopping
    expect(seenDuringStop).toEqual({ ready: false, live: true, state: 'stopping' })
    expect(status()).toEqual({ ready: false, live: false, state: 'stopped' })
  })

  it('handlers answer JSON with 200 or 503 and no caching', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    const probes = health()
    lifecycle.register(probes)
    const { readiness, liveness } = probes
    await lifecycle.start()
    const ok = response()
    readiness({}, ok)
    expect(ok).toMatchObject({ statusCode: 200, body: '{"status":"ok","state":"running"}' })
    expect(ok.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    await lifecycle.stop()
    const notReady = response()
    readiness({}, notReady)
    const notLive = response()
    liveness({}, notLive)
    expect(notReady).toMatchObject({ statusCode: 503, body: '{"status":"unavailable","state":"stopped"}' })
    expect(notLive.statusCode).toBe(503)
  })

  it('answers for no lifecycle once unregistered, and for one lifecycle at a time', async () => {
    const first = new Lifecycle({ logger: false })
    const second = new Lifecycle({ logger: false })
    const probes = health()
    const off = first.register(probes)
    await first.start()
    expect(probes.status().ready).toBe(true)
    expect(() => second.register(probes)).toThrow(/already answer for another registration/)
    off()
    expect(probes.status()).toEqual({ ready: false, live: true, state: 'idle' })
    second.register(probes)
    expect(probes.status().state).toBe('idle')
    await second.start()
    expect(probes.status().ready).toBe(true)
    await Promise.all([first.stop(), second.stop()])
  })

  it('throws a TypeError for bad options, at the call', () => {
    expect(() => health(null as never)).toThrow(/^Expected `options` of `health\(\)` to be an object/)
    expect(() => health({ name: '' })).toThrow(/^Expected `name` of `health\(\)` to be a non-empty string/)
    expect(() => health({ lifecycle: {} } as never)).toThrow(/^Unknown option `lifecycle`/)
  })
})
