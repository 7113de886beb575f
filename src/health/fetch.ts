import type { HealthHandler, ResponseLike } from './handlers.js'

/**
 * @internal A `(req, res)` health handler as a fetch-style one (`Bun.serve()`, `Deno.serve()`, Hono,
 * any `(Request) => Response` handler): the same status, headers and body, as a `Response`.
 */
export function asFetchHandler(handler: HealthHandler): (request?: unknown) => Promise<Response> {
  return (request) =>
    new Promise<Response>((resolve) => {
      const headers: Record<string, string> = {}
      const res: ResponseLike = {
        statusCode: 200,
        setHeader(name, value) {
          headers[name] = String(value)
        },
        end(body) {
          resolve(new Response(body ?? null, { status: res.statusCode, headers }))
        },
      }
      handler(request, res)
    })
}
