import { createServer } from 'node:net'
import { TestSetupError } from '../core/errors.js'
import { errorMessage } from '../core/foreign.js'
import { checkName } from '../core/validate.js'

/**
 * A TCP port nobody listens on right now, for a service that cannot listen on port 0 and report
 * it: pass it in the command's environment and as `port`. Rejects with a `TestSetupError` (Node's
 * error as its `cause`) when it cannot listen on `host`: a name that does not resolve, an address
 * that is not this machine's.
 *
 * @example
 * ```ts
 * const port = await freePort()
 * await testShutdown({ command: ['node', 'server.js'], env: { PORT: String(port) }, port })
 * ```
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    // Node's `listen()` ignores a host that is not a string, and would pick another interface.
    checkName('`freePort()`', 'host', host)
    const server = createServer()
    // A host that does not resolve, or is not this machine's: coded, with Node's error as the cause.
    server.once('error', (error: Error) =>
      reject(
        new TestSetupError(`\`freePort()\` could not listen on \`${host}\`: ${errorMessage(error)}`, {
          cause: error,
        }),
      ),
    )
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new TestSetupError(`\`freePort()\` got no TCP port on ${host}`)),
      )
    })
  })
}
