import * as http from 'node:http'
import { describe, expect, it } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { DEFAULTS, Lifecycle, Priority } from '../../src/index.js'

describe('httpServer() options', () => {
  it('returns a component named `http` at Priority.INGRESS, with the given timeout', () => {
    const component = httpServer(http.createServer(), { timeout: 5_000 })
    expect(component).toMatchObject({ name: DEFAULTS.http.name, priority: Priority.INGRESS, timeout: 5_000 })
    expect(typeof component.stop).toBe('function')
    expect(new Lifecycle({ logger: false }).register(component)).toBeTypeOf('function')
  })

  it('leaves the timeout to the lifecycle when none is given', () => {
    expect(httpServer(http.createServer())).not.toHaveProperty('timeout')
  })

  it.each([
    [
      { timeout: -1 },
      /^Expected `timeout` of component `http` to be a number of milliseconds from 0 to 2147483647/,
    ],
    [{ idleGrace: Number.NaN }, /^Expected `idleGrace` of component `http`/],
    [{ requestAbortLead: '1s' }, /^Expected `requestAbortLead` of component `http`/],
    [{ name: '' }, /^Expected `name` of `httpServer\(\)` to be a non-empty string/],
    [
      { priority: Number.POSITIVE_INFINITY },
      /^Expected `priority` of component `http` to be a finite number/,
    ],
    [{ webSocketServer: {} }, /^Expected `webSocketServer` of component `http` to be a `ws` WebSocketServer/],
    [{ idelGrace: 10 }, /^Unknown option `idelGrace` in `options` of component `http`/],
  ])('throws a TypeError at the call for %o', (options, message) => {
    expect(() => httpServer(http.createServer(), options as never)).toThrow(TypeError)
    expect(() => httpServer(http.createServer(), options as never)).toThrow(message)
  })

  it('throws a TypeError for something that is not a server', () => {
    expect(() => httpServer({} as never)).toThrow(
      /^Expected `server` of `httpServer\(\)` to be a `node:http`/,
    )
  })

  it('throws a TypeError when the same server is passed twice', () => {
    const server = http.createServer()
    // The server is claimed when register() accepts the component (issue 8), not at the call.
    new Lifecycle({ logger: false }).register(httpServer(server))
    expect(() => httpServer(server, { name: 'again' })).toThrow(TypeError)
  })
})
