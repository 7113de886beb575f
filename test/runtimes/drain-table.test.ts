// Issue 19's table, on the runtime .ci/runtime-matrix names: a 1.2 s request in flight at SIGTERM
// and an idle keep-alive connection; readiness during the stop; the exit code. For node:http with
// httpServer() on every runtime, and for the runtime's own server (bunServer(), denoServer()).
import { Agent, get } from 'node:http'
import { describe, expect, test } from 'vitest'
import { RUNTIME, runFixture, SERVER_KINDS } from './support.js'

interface Answer {
  readonly status?: number
  readonly body?: string
  readonly error?: string
}

function request(port: number, path: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
  })
}

describe.each(SERVER_KINDS)(`${RUNTIME}: %s`, (kind) => {
  test('the request in flight at SIGTERM is answered 200, readiness says 503 during the stop, exit 0', async () => {
    const service = runFixture('service.mjs', [kind])
    const port = Number((await service.line(/listening on/)).split(':').pop())
    const keepAlive = new Agent({ keepAlive: true })
    // One request leaves an idle keep-alive connection behind.
    expect(await request(port, '/', keepAlive)).toMatchObject({ status: 200 })
    expect(await request(port, '/readyz', new Agent())).toMatchObject({ status: 200 })
    const slow = request(port, '/slow', new Agent({ keepAlive: true }))
    await service.line(/slow request started/)
    service.kill('SIGTERM')
    await service.line(/received SIGTERM/)
    // drainDelay(300): the listener still accepts, and readiness fails.
    const ready = await request(port, '/readyz', new Agent())
    const inFlight = await slow
    const exit = await service.exit
    keepAlive.destroy()

    const output = service.output()
    expect(ready, output).toMatchObject({ status: 503 })
    expect(JSON.parse(ready.body ?? '{}')).toMatchObject({ status: 'unavailable', state: 'stopping' })
    expect(inFlight, output).toEqual({ status: 200, body: 'slow: done\n' })
    expect(exit.code, output).toBe(0)
    expect(output).toContain('telemetry flushed')
    expect(output).not.toMatch(/TypeError|Uncaught|error:/)
    // The drain's line in the report table.
    const line = output.split('\n').find((text) => /^\s+http\s+ok\s/.test(text)) ?? ''
    if (kind === 'node-http') {
      expect(line, output).toMatch(/connections=2 idleClosed=1 drained=1 destroyed=0 requests=1/)
      // Only where the runtime lacks something do the details say which runtime and what.
      if (RUNTIME === 'bun') expect(line).toMatch(/runtime="bun \S+" degraded=\[/)
      else expect(line).not.toContain('runtime=')
    } else {
      expect(line, output).toMatch(new RegExp(`runtime="${RUNTIME} \\S+" .*forced=false degraded=\\[`))
      if (kind === 'bun-serve') expect(line).toMatch(/inFlight=1 webSockets=0/)
    }
  })

  test('a request that outlives the drain budget: forced at the hook’s abort, the report says so, exit 1', async () => {
    const service = runFixture('service.mjs', [kind], {
      SLOW_MS: '60000',
      HTTP_TIMEOUT_MS: '500',
      DRAIN_DELAY_MS: '0',
    })
    const port = Number((await service.line(/listening on/)).split(':').pop())
    const endless = request(port, '/slow', new Agent({ keepAlive: true }))
    await service.line(/slow request started/)
    const signalled = service.kill('SIGTERM')
    const exit = await service.exit
    const answer = await endless
    const output = service.output()
    // The hook timed out: not a clean stop.
    expect(exit.code, output).toBe(1)
    expect(exit.at - signalled).toBeLessThan(5_000)
    expect(answer.status, output).toBeUndefined()
    const line = output.split('\n').find((text) => /^\s+http\s+timeout\s/.test(text)) ?? ''
    if (kind === 'node-http') expect(line, output).toMatch(/destroyed=1/)
    else expect(line, output).toMatch(/forced=true/)
  })
})
