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

describe('health(lifecycle)', () => {
  it('is not ready before the start, ready while running, not ready once a stop begins', async () => {
    const lifecycle = new Lifecycle({ logger: false })
    let seenDuringStop: unknown
    lifecycle.onStop('probe', () => {
      seenDuringStop = health(lifecycle).status()
    })
    const { status } = health(lifecycle)
    expect(status()).toEqual({ ready: false, live: true, state: 'idle' })
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
    const { readiness, liveness } = health(lifecycle)
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

  it('throws a TypeError for something that is not a lifecycle', () => {
    expect(() => health({} as never)).toThrow(/^Expected `lifecycle` of `health\(\)` to be a `Lifecycle`/)
    expect(() => health(undefined as never)).toThrow(TypeError)
  })
})
