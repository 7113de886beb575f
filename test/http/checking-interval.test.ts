import { describe, expect, it } from 'vitest'
import { KINDS, startServer } from './support/servers.js'

/**
 * Node's HTTP/1 server (`http` and `https` alike) runs a headers-timeout interval from `listen()`
 * until its own `close()` clears it; left running, it keeps the server and all it references
 * reachable for ever (issue 18.11). The drain closes the listener with `http.Server#close` for both,
 * recognising an HTTPS server without importing `node:https` (src/http/listener.ts): this fails
 * when an HTTPS server is taken for some other `net.Server`.
 */
const intervalOf = (server: object): { _destroyed: boolean } | undefined => {
  const key = Object.getOwnPropertySymbols(server).find(
    (symbol) => symbol.description === 'http.server.connectionsCheckingInterval',
  )
  return key === undefined ? undefined : (server as Record<symbol, { _destroyed: boolean }>)[key]
}

describe.each(KINDS.filter((kind) => kind !== 'http2'))('%s', (kind) => {
  it("the stop clears the server's headers-timeout interval", async () => {
    const running = await startServer(kind)
    const interval = intervalOf(running.server)
    expect(interval?._destroyed).toBe(false)
    const report = await running.stop()
    expect(report.ok).toBe(true)
    expect(interval?._destroyed).toBe(true)
  })
})
