import { type IncomingHttpHeaders, request } from 'node:http'

export type Outcome =
  | {
      readonly kind: 'response'
      readonly status: number
      readonly body: string
      readonly headers: IncomingHttpHeaders
    }
  | { readonly kind: 'error'; readonly code: string }

/**
 * One request on a fresh connection (no agent): its response, or the error code the client saw.
 * `onSent`: the request is written, its connection established (the server's kernel holds it).
 */
export function fetchOnce(port: number, path: string, method = 'GET', onSent?: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () =>
        resolve({ kind: 'response', status: res.statusCode ?? 0, body, headers: res.headers }),
      )
      res.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ kind: 'error', code: error.code ?? error.message }),
      )
    })
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'error', code: error.code ?? error.message }),
    )
    if (onSent) req.once('finish', onSent)
    req.end()
  })
}

/** `fetchOnce`, and when its request was written: a signal sent after that finds it in flight. */
export function fetchSent(port: number, path: string): { response: Promise<Outcome>; sent: Promise<void> } {
  let onSent: () => void = () => {}
  const sent = new Promise<void>((resolve) => {
    onSent = resolve
  })
  return { response: fetchOnce(port, path, 'GET', onSent), sent }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Requests on new connections every 20 ms until one is refused: every earlier one must have been
 * answered (the listener closes just after the signal, never resetting what it accepted).
 */
export async function untilRefused(port: number, path = '/', ms = 5_000): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  const end = performance.now() + ms
  while (performance.now() < end) {
    const outcome = await fetchOnce(port, path)
    outcomes.push(outcome)
    // A connection made at the instant the listener closes is reset by the kernel (docs/http.md,
    // "what no server can close off"): go on to the refusal that must follow it.
    if (outcome.kind === 'error' && outcome.code !== 'ECONNRESET') return outcomes
    await delay(20)
  }
  return outcomes
}
