/**
 * Load for the demo: 16 keep-alive clients place orders until the server goes away, then one line
 * of what they saw. Run it, press Ctrl+C in the demo's terminal, and compare the two lines.
 *
 *   npx tsx examples/demo/load.ts [http://localhost:3000]
 */
import { Agent, request } from 'node:http'

const base = new URL(process.argv[2] ?? 'http://localhost:3000')
const agent = new Agent({ keepAlive: true, maxSockets: 16 })
const seen = { created: 0, unavailable: 0, refused: 0, failedAfterSend: 0 }

function order(): Promise<'created' | 'unavailable' | 'refused' | 'failedAfterSend'> {
  return new Promise((resolve) => {
    const req = request(new URL('/orders', base), { method: 'POST', agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 201 ? 'created' : 'unavailable'))
      res.on('error', () => resolve('failedAfterSend'))
    })
    // Refused: the request never reached the server (fine). Anything else: sent, outcome unknown.
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'failedAfterSend'),
    )
    req.end()
  })
}

async function client(): Promise<void> {
  for (;;) {
    const outcome = await order()
    seen[outcome]++
    if (outcome === 'refused') return
  }
}

console.log(`load: placing orders on ${base.origin} with 16 clients; stop the demo to end`)
await Promise.all(Array.from({ length: 16 }, client))
agent.destroy()
console.log(
  `load: ${seen.created} orders created (201), ${seen.unavailable} answered otherwise, ${seen.failedAfterSend} failed after send, then refused`,
)
