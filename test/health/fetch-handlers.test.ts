/** fetchReadiness() / fetchLiveness(): the handlers' answers as a `Response`, for fetch-style servers (issue 19). */
import { describe, expect, it } from 'vitest'
import { health } from '../../src/health/index.js'
import { Lifecycle } from '../../src/index.js'

async function read(response: Response) {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    cache: response.headers.get('cache-control'),
    body: (await response.json()) as unknown,
  }
}

describe('health() for fetch-style handlers', () => {
  it('answers 503 before registration, 200 while running, 503 from the moment a stop begins', async () => {
    const probes = health()
    expect((await probes.fetchReadiness()).status).toBe(503)
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(probes)
    await lifecycle.start()
    expect(await read(await probes.fetchReadiness(new Request('http://localhost/readyz')))).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      cache: 'no-store',
      body: { status: 'ok', state: 'running' },
    })
    let during: Response | undefined
    lifecycle.onStop('look', async () => {
      during = await probes.fetchReadiness()
    })
    const live = probes.fetchLiveness()
    await lifecycle.stop()
    expect(await read(await live)).toMatchObject({ status: 200 })
    expect(during && (await read(during))).toMatchObject({
      status: 503,
      body: { status: 'unavailable', state: 'stopping' },
    })
    expect((await probes.fetchLiveness()).status).toBe(503)
  })

  it('runs the dependency checks as readiness does, and reports them', async () => {
    let healthy = false
    const probes = health({
      checks: { db: () => (healthy ? undefined : Promise.reject(new Error('down'))) },
      interval: 0,
    })
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(probes)
    await lifecycle.start()
    const down = await read(await probes.fetchReadiness())
    expect(down).toMatchObject({ status: 503, body: { checks: { db: { status: 'error' } } } })
    healthy = true
    expect((await probes.fetchReadiness()).status).toBe(200)
    await lifecycle.stop()
  })
})
