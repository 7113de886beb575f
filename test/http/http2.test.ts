import * as http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpServer, requestSignal } from '../../src/http/index.js'
import { Lifecycle, ShutdownError, type ShutdownReport } from '../../src/index.js'
import { selfSigned } from './support/cert.js'
import { httpDetails } from './support/servers.js'

const IDLE_GRACE = 150

type Flavour = 'h2c' | 'h2 (TLS)' | 'h2 (TLS, allowHTTP1)'
const FLAVOURS: readonly Flavour[] = ['h2c', 'h2 (TLS)', 'h2 (TLS, allowHTTP1)']

interface H2 {
  readonly lifecycle: Lifecycle
  readonly url: string
  readonly started: { count: number }
  stop(): Promise<ShutdownReport>
}

async function startH2(flavour: Flavour, timeout = 2_000, requestAbortLead = 0): Promise<H2> {
  const started = { count: 0 }
  const handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void => {
    started.count++
    if (req.url.startsWith('/slow')) setTimeout(() => res.end('slow'), 300)
    else if (req.url === '/hang') return
    else if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: hello\n\n')
      requestSignal(req).addEventListener('abort', () => res.end('event: bye\n\n'))
    } else res.end('hello')
  }
  const server =
    flavour === 'h2c'
      ? http2.createServer(handler)
      : http2.createSecureServer({ ...selfSigned(), allowHTTP1: flavour === 'h2 (TLS, allowHTTP1)' }, handler)
  const lifecycle = new Lifecycle({ logger: false })
  lifecycle.register(httpServer(server, { timeout, idleGrace: IDLE_GRACE, requestAbortLead }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    lifecycle,
    started,
    url: `${flavour === 'h2c' ? 'http' : 'https'}://127.0.0.1:${port}`,
    stop: () =>
      lifecycle.stop().catch((error: unknown) => {
        if (error instanceof ShutdownError) return error.report
        throw error
      }),
  }
}

function request(session: http2.ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path })
    let status = 0
    let body = ''
    stream.setEncoding('utf8')
    stream.on('response', (headers) => {
      status = Number(headers[':status'])
    })
    stream.on('data', (chunk: string) => {
      body += chunk
    })
    // A stream cut by the server ends without a response.
    stream.on('end', () => (status === 0 ? reject(new Error('no response')) : resolve({ status, body })))
    stream.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(FLAVOURS)('%s sessions', (flavour) => {
  let h2: H2 | undefined
  let session: http2.ClientHttp2Session | undefined
  afterEach(async () => {
    session?.destroy()
    await h2?.stop()
  })

  it('get GOAWAY and their open stream completes', async () => {
    h2 = await startH2(flavour)
    session = http2.connect(h2.url, { rejectUnauthorized: false })
    const goaway = new Promise<number>((resolve) => session?.once('goaway', (code) => resolve(code)))
    const slow = request(session, '/slow')
    while (h2.started.count < 1) await sleep(5)

    const report = await h2.stop()

    expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR)
    expect(await slow).toEqual({ status: 200, body: 'slow' })
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 1, drained: 1, requests: 1 })
  })

  it('that are idle get a GOAWAY notice at once and the final GOAWAY at the end of the idle grace', async () => {
    h2 = await startH2(flavour)
    session = http2.connect(h2.url, { rejectUnauthorized: false })
    expect(await request(session, '/hello')).toEqual({ status: 200, body: 'hello' })
    const goaway = new Promise((resolve) => session?.once('goaway', resolve))
    const start = performance.now()
    const report = await h2.stop()
    await goaway
    const elapsed = performance.now() - start
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_GRACE - 5)
    expect(elapsed).toBeLessThan(IDLE_GRACE + 150)
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 1, idleClosed: 1, destroyed: 0 })
  })

  it('end a server-sent-event stream through requestSignal() and still complete it', async () => {
    // A lead as long as the budget: request signals abort the moment the drain begins.
    h2 = await startH2(flavour, 2_000, 2_000)
    session = http2.connect(h2.url, { rejectUnauthorized: false })
    const events = request(session, '/events')
    while (h2.started.count < 1) await sleep(5)
    const start = performance.now()
    const stopping = h2.stop()
    const reply = await events
    expect(performance.now() - start).toBeLessThan(IDLE_GRACE)
    const report = await stopping
    expect(reply).toEqual({ status: 200, body: 'data: hello\n\nevent: bye\n\n' })
    expect(httpDetails(report)).toMatchObject({ status: 'ok', drained: 1, destroyed: 0 })
  })

  it('with a stream that never ends are destroyed at the budget', async () => {
    h2 = await startH2(flavour, 300)
    session = http2.connect(h2.url, { rejectUnauthorized: false })
    session.on('error', () => {})
    const hung = request(session, '/hang').then(
      () => 'answered',
      () => 'failed',
    )
    while (h2.started.count < 1) await sleep(5)
    const start = performance.now()
    const report = await h2.stop()
    expect(performance.now() - start).toBeGreaterThanOrEqual(295)
    expect(await hung).toBe('failed')
    expect(httpDetails(report)).toMatchObject({ status: 'timeout', connections: 1, destroyed: 1 })
  })
})

describe('the HTTP/2 core API (streams, no request handler)', () => {
  it('is left as it is (no compatibility layer) and its streams drain, with requestSignal(stream)', async () => {
    const server = http2.createServer()
    const lifecycle = new Lifecycle({ logger: false })
    // The signal aborts 1 s into the drain (3 s budget, 2 s lead): the stream ends well before the budget.
    lifecycle.register(httpServer(server, { idleGrace: IDLE_GRACE, timeout: 3_000, requestAbortLead: 2_000 }))
    expect(server.listenerCount('request')).toBe(0)
    let started = 0
    server.on('stream', (stream) => {
      started++
      stream.respond({ ':status': 200 })
      stream.write('open\n')
      requestSignal(stream).addEventListener('abort', () => stream.end('closed\n'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const session = http2.connect(`http://127.0.0.1:${port}`)
    const reply = request(session, '/')
    while (started < 1) await sleep(5)
    const report = await lifecycle.stop()
    expect(await reply).toEqual({ status: 200, body: 'open\nclosed\n' })
    expect(httpDetails(report)).toMatchObject({ status: 'ok', drained: 1, requests: 1 })
    session.destroy()
  })
})
