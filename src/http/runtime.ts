import { currentRuntime, type RuntimeInfo, runtimeLabel } from '../core/runtime.js'

/**
 * @internal What `httpServer()` cannot do on this runtime's `node:http`, measured (docs/runtimes.md).
 * Node and Deno (whose `node:http` is a port of Node's, a `net.Server`) lack nothing.
 */
export function degradations(runtime: RuntimeInfo = currentRuntime()): readonly string[] {
  if (runtime.name !== 'bun') return []
  return [
    // Bun's close() calls the native server's closeIdleConnections(), which no listener can defer.
    'idle connections close when the listener closes (no idle grace)',
    // Bun emits 'connection' at a connection's first request only.
    'a connection that sent no request is not seen (it ends with the process)',
    // socket.bytesRead stays 0 on Bun's server sockets.
    'no socket.bytesRead: a request arriving on an idle connection is seen once parsed',
  ]
}

/**
 * @internal Adds `runtime` and `degraded` to a drain's details where the runtime lacks something;
 * on Node (and Deno) the details keep their documented shape.
 */
export function describeRuntime(details: Record<string, unknown>): void {
  const runtime = currentRuntime()
  const degraded = degradations(runtime)
  if (degraded.length === 0) return
  details.runtime = runtimeLabel(runtime)
  details.degraded = [...degraded]
}
