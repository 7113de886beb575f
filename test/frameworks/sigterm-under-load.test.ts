import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { lines, runFixture, tempFile } from './support/child.js'
import { keepAliveLoad, type LoadResult } from './support/load.js'
import { buildNextApp } from './support/next-build.js'

/**
 * Each framework in its own process, under keep-alive load from six clients, stopped by a real
 * SIGTERM. Every request is counted once: answered, or refused before it was sent (the listener
 * had closed); none may fail after it was sent.
 */
async function stopUnderLoad(
  name: string,
  args: string[],
  path = '/slow?ms=30',
): Promise<{ result: LoadResult; hooks: string[]; out: string }> {
  const file = tempFile()
  const child = runFixture(name, [file, ...args])
  const port = await child.ready
  const load = keepAliveLoad(port, path, 6)
  await load.warm(30)
  child.kill('SIGTERM')
  const exit = await child.exit
  const result = await load.stop()
  const out = child.stdout() + child.stderr()
  expect(exit.code, out).toBe(0)
  expect(result.failed, result.errors.join('\n')).toBe(0)
  expect(result.statuses).toEqual({ 200: result.ok })
  expect(result.ok).toBeGreaterThanOrEqual(30)
  // The drain answered requests on open connections and told their clients to go.
  expect(result.closing).toBeGreaterThan(0)
  expect(out).toMatch(/stopped in [\d.]+ ms \(signal SIGTERM\): ok/)
  return { result, hooks: lines(file), out }
}

describe.concurrent('SIGTERM under keep-alive load drops nothing', () => {
  test('Fastify (fastifyApp): preClose and onClose run after the last response', async () => {
    const { result, hooks } = await stopUnderLoad('fastify', [])
    expect(hooks).toEqual([
      `preClose inflight=0 served=${result.ok}`,
      `onClose inflight=0 served=${result.ok}`,
      'exit 0',
    ])
  }, 60_000)

  test('Hono (@hono/node-server, httpServer)', async () => {
    const { result, hooks } = await stopUnderLoad('hono', [])
    expect(hooks).toEqual([`db closed inflight=0 served=${result.ok}`, 'exit 0'])
  }, 60_000)
})

describe('Next.js custom server (next({ dev: false }), built once into a temporary folder)', () => {
  let dir: string | undefined
  beforeAll(async () => {
    dir = await buildNextApp()
  }, 180_000)
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('httpServer() drains it, then app.close() runs', async () => {
    const { hooks, out } = await stopUnderLoad('next', [dir as string], '/api/slow?ms=30')
    expect(hooks).toEqual(['next closed', 'exit 0'])
    expect(out).toMatch(/INGRESS \(200\)[\s\S]*http\s+ok[\s\S]*next\s+ok/)
  }, 60_000)
})
