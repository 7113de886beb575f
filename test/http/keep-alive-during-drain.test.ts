import { afterEach, describe, expect, it } from 'vitest'
import { connect, get, keepAliveAgent } from './support/clients.js'
import { httpDetails, KINDS, type Running, startServer } from './support/servers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(KINDS)('%s: a request on an open keep-alive connection during the drain', (kind) => {
  let running: Running | undefined
  afterEach(async () => {
    await running?.stop()
  })

  it('on an idle connection, gets a full response with `Connection: close`, not ECONNRESET', async () => {
    // A grace the connection cannot outlive before the request below, however busy the machine:
    // one idle for longer when the listener closes is closed then (docs/http.md, step 4).
    running = await startServer(kind, { http: { idleGrace: 1_500 } })
    const agent = keepAliveAgent(running, 1)
    await get(running, '/hello', agent)
    const stopping = running.stop()
    // Responses say `Connection: close` once the drain has closed the listener: wait for that.
    while ((running.server as { listening: boolean }).listening) await sleep(1)
    const reply = await get(running, '/hello', agent)
    expect(reply).toMatchObject({ status: 200, body: 'hello', reusedSocket: true })
    expect(reply.headers.connection).toBe('close')
    const report = await stopping
    expect(httpDetails(report)).toMatchObject({ status: 'ok', connections: 1, drained: 1, requests: 1 })
    agent.destroy()
  })

  it('already on the wire when the stop begins, is answered and then the connection closes (idle, after the grace)', async () => {
    running = await startServer(kind)
    const socket = await connect(running)
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    const request = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
    socket.write(request)
    while (!received.endsWith('hello')) await sleep(5)
    received = ''
    // The trigger and the next request in the same tick: the request is in flight towards an idle connection.
    const stopping = running.stop()
    socket.write(request)
    await new Promise((resolve) => socket.once('close', resolve))
    // Answered before the listener had closed, so with keep-alive: nobody is told to reconnect
    // while the backlog may still be reset; the connection then closes as an idle one.
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(received.endsWith('\r\n\r\nhello')).toBe(true)
    expect(httpDetails(await stopping)).toMatchObject({ status: 'ok', drained: 1, idleClosed: 0 })
  })

  it('queued behind one in flight, is answered too (the first response already says close)', async () => {
    running = await startServer(kind)
    const agent = keepAliveAgent(running, 1)
    await get(running, '/hello', agent)
    const first = get(running, '/slow?ms=200', agent)
    while (running.started.count < 2) await sleep(5)
    const stopping = running.stop()
    // The agent holds this one until the first response; that one closes the connection, so it
    // goes out on a new connection, which is refused: a refusal before sending, never a reset.
    const second = get(running, '/hello', agent).then(
      (reply) => reply.body,
      (error: { code?: string }) => error.code,
    )
    expect((await first).headers.connection).toBe('close')
    expect(await second).toBe('ECONNREFUSED')
    await stopping
    agent.destroy()
  })
})
