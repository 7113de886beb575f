import { Agent, request } from 'node:http'
import { expect, test } from 'vitest'
import { run } from './child.js'
import { delay, fetchSent } from './http-client.js'

/** `npm start` in its own process group: Ctrl+C in a terminal signals npm, its shell and node at once. */
function npmStart() {
  return run('npm start', { command: ['npm', 'start'], detached: true, env: { DRAIN_DELAY: '300' } })
}

/** Keep-alive clients placing orders until told to stop; counts the 201s they got. */
function placeOrders(port: number, clients: number): { created: () => number; stop: () => Promise<number> } {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  let stopped = false
  let created = 0
  const post = (): Promise<number | undefined> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/orders', method: 'POST', agent }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode))
      })
      req.on('error', () => resolve(undefined))
      req.end()
    })
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped) if ((await post()) === 201) created++
  })
  return {
    created: () => created,
    stop: async () => {
      stopped = true
      await Promise.all(loops)
      agent.destroy()
      return created
    },
  }
}

test.concurrent('npm start, then Ctrl+C: timeline, a line of counts that add up, and the shell sees the code the demo printed', async () => {
  const demo = npmStart()
  const port = await demo.port(90_000)
  const load = placeOrders(port, 4)
  // Orders flowing (not a time that hopes they are): the stop then has work in every stage.
  while (load.created() < 20) await delay(5)
  // Written before the Ctrl+C: in flight at the stop (served through the drain delay).
  const slow = fetchSent(port, '/slow?ms=1500')
  await slow.sent
  demo.killGroup('SIGINT')
  expect(await slow.response).toMatchObject({ kind: 'response', status: 200, body: 'slow: done\n' })
  const created = await load.stop()
  expect(await demo.exit(60_000)).toEqual({ code: 0, signal: null })

  const line = await demo.line(/^demo: checked:/)
  const [, accepted, answered, committed, halfWritten, processed, handedBack, lost, code] =
    /requests: (\d+) accepted, (\d+) answered · orders: (\d+) committed, (\d+) half-written · queue: (\d+) processed, (\d+) handed back \(still placed\), (\d+) lost · exit code (\d+)$/
      .exec(line)
      ?.map(Number) ?? []
  expect(created).toBeGreaterThan(0)
  expect(committed).toBe(created)
  expect(answered).toBe(accepted)
  expect(halfWritten).toBe(0)
  expect(lost).toBe(0)
  expect((processed ?? 0) + (handedBack ?? 0)).toBe(committed)
  expect(code).toBe(0)
  expect(demo.stdout()).toMatch(/exiting with code 0/)
  expect(demo.stdout()).toMatch(/drain-delay +\|.*\n(?:.*\n)?http +\|/) // the timeline (a phase row may sit between)
  for (const hook of ['drain-delay', 'http', 'queue', 'metrics', 'audit', 'database', 'telemetry']) {
    expect(demo.stdout()).toMatch(new RegExp(`${hook} +ok`))
  }
  expectOneReport(demo.stdout() + demo.stderr())
}, 150_000)

/** The logger's report is printed once (the demo printed the timeline a second time), and no line
 * meant for the library's developers reaches the user. */
function expectOneReport(output: string): void {
  expect(output.match(/^drain-delay +\|/gm)).toHaveLength(1)
  expect(output.match(/graceful-lifecycle: stopped in/g)).toHaveLength(1)
  expect(output).not.toMatch(/stop\(\) was called during the stop/)
}

test.concurrent('npm start, Ctrl+C twice: forced, says what it cut, and the shell sees 130 like the demo says', async () => {
  const demo = npmStart()
  const port = await demo.port(90_000)
  const slow = fetchSent(port, '/slow?ms=20000')
  await slow.sent
  demo.killGroup('SIGINT')
  await demo.line(/received SIGINT: stopping/)
  await delay(1_000) // past the burst window: a deliberate second Ctrl+C
  demo.killGroup('SIGINT')
  expect(await demo.exit(30_000)).toEqual({ code: 130, signal: null })
  expect(await slow.response).toMatchObject({ kind: 'error' })
  expect(await demo.line(/^demo: forced:/)).toMatch(/cut 1 request \(never answered\).*exit code 130$/)
  expect(demo.stdout() + demo.stderr()).toMatch(/still running: `http`/)
  expectOneReport(demo.stdout() + demo.stderr())
}, 150_000)
