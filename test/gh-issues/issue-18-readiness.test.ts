import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { type Health, health } from '../../src/health/index.js'
import { Lifecycle } from '../../src/index.js'
import { runFixture } from '../process/run-fixture.js'

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('issue 18.2: a check that rejects with an unprintable value never ends the process', () => {
  test('null-prototype object and an Error whose message getter throws: 503 naming the checks, the process lives on', async () => {
    const fixture = runFixture('unprintable-check')
    await fixture.ready
    const port = Number(/port (\d+)/.exec(fixture.stdout())?.[1])
    for (let i = 0; i < 3; i++) {
      const answer = await get(port, '/readyz')
      expect(answer.status).toBe(503)
      const body = JSON.parse(answer.body) as { checks: Record<string, unknown> }
      expect(body.checks).toEqual({
        'null-prototype': expect.objectContaining({ status: 'error', error: { name: 'NonError' } }),
        'throwing-getter': expect.objectContaining({ status: 'error', error: { name: 'Error' } }),
      })
    }
    // Still alive and serving: the full messages went to the log, once per check.
    const log = JSON.parse((await get(port, '/log')).body) as string[]
    expect(log.filter((line) => line.includes('check `null-prototype` failed'))).toHaveLength(1)
    expect(log.filter((line) => line.includes('check `throwing-getter` failed'))).toHaveLength(1)
    expect(log.join('\n')).toContain('message getter exploded')
    fixture.kill('SIGTERM')
    expect(await fixture.exit).toMatchObject({ code: 0, signal: null })
  })
})

describe('issue 18.10: a failing check keeps its message out of the readiness body', () => {
  const secret = 'connect failed: postgres://app:hunter2@db.internal:5432/prod'
  let lifecycle: Lifecycle | undefined
  afterEach(async () => {
    await lifecycle?.stop().catch(() => {})
  })

  async function serve(probes: Health, logs: string[]): Promise<number> {
    lifecycle = new Lifecycle({
      logger: {
        info: (m: unknown) => logs.push(String(m)),
        warn: (m: unknown) => logs.push(String(m)),
        error: () => {},
      },
    })
    lifecycle.register(probes)
    const server = createServer((req, res) => probes.readiness(req, res))
    lifecycle.onStop('server', () => new Promise<void>((resolve) => server.close(() => resolve())))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    await lifecycle.start()
    return (server.address() as AddressInfo).port
  }

  const failing = () => Promise.reject(Object.assign(new Error(secret), { code: 'ECONNREFUSED' }))

  test('by default the body names the check, its status and the error name and code; the log has the message once', async () => {
    const logs: string[] = []
    const port = await serve(health({ interval: 0, checks: { db: failing } }), logs)
    for (let i = 0; i < 5; i++) {
      const answer = await get(port, '/readyz')
      expect(answer.status).toBe(503)
      expect(answer.body).not.toContain('hunter2')
      expect(JSON.parse(answer.body)).toMatchObject({
        checks: { db: { status: 'error', error: { name: 'Error', code: 'ECONNREFUSED' } } },
      })
    }
    expect(logs.filter((line) => line.includes(secret))).toHaveLength(1)
  })

  test("`expose: 'message'` puts the message in the body", async () => {
    const port = await serve(health({ interval: 0, expose: 'message', checks: { db: failing } }), [])
    const answer = await get(port, '/readyz')
    expect(JSON.parse(answer.body)).toMatchObject({
      checks: { db: { error: { name: 'Error', code: 'ECONNREFUSED', message: secret } } },
    })
  })

  test('a bad `expose` is refused at the call', () => {
    expect(() => health({ expose: 'stack' as 'name' })).toThrow(
      "Expected `expose` of `health()` to be `'name'` or `'message'`",
    )
  })
})
