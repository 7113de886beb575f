import { spawn } from 'node:child_process'
import { get } from 'node:http'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { clusterPrimary, clusterWorker } from '../../src/cluster/index.js'
import { DEFAULTS, InvalidStateError, Lifecycle } from '../../src/index.js'
import { testShutdown } from '../../src/testing/index.js'
import { assertNothingLostButLateConnections, until } from './support.js'

const fixture = fileURLToPath(new URL('../fixtures/cluster/server.ts', import.meta.url))

/** One GET on its own connection: round robin hands each connection to the next worker. */
function getOnNewConnection(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

describe('clusterPrimary() when things go wrong', () => {
  it('a reload whose new worker never becomes ready stops there: the old workers keep serving', async () => {
    const result = await testShutdown({
      command: [process.execPath, '--import', 'tsx', fixture],
      env: { WORKERS: '2', FAIL_NEW: '1' },
      loadBefore: 300,
      during: async ({ pid, output }) => {
        process.kill(pid ?? 0, 'SIGHUP')
        await until('reload stopped', output, 30_000)
        await new Promise((resolve) => setTimeout(resolve, 300))
      },
      startTimeout: 30_000,
    })
    assertNothingLostButLateConnections(result)
    expect(result.output).toMatch(
      /reload stopped: worker 3 exited \(1\) before it was ready; the old workers keep serving/,
    )
    // The old workers 1 and 2 are the ones the stop finds.
    expect(result.reportText).toMatch(/workers=2 "worker [12]"="pid \d+ ok .* "worker [12]"="pid \d+ ok/)
  }, 90_000)

  it('a worker whose stop outlives the primary budget is killed, named, and the exit code is 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, WORKERS: '2', HANG: '1', CLUSTER_TIMEOUT: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    // 'close', not 'exit': the output may still be on its way when the process has exited.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
    await until('listening on', () => output, 30_000)
    const sent = performance.now()
    child.kill('SIGTERM')
    const code = await exited
    expect(performance.now() - sent).toBeLessThan(15_000)
    expect(code).toBe(1)
    expect(output).toMatch(
      /cluster\s+error .*2 of 2 workers did not stop cleanly: worker \d: pid \d+ sent no report, killed \(SIGKILL\) after \d+ ms/,
    )
  }, 60_000)

  it('replaces a worker that exits on its own, and the stop then finds the replacement', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk
      })
    }
    // 'close', not 'exit': the output may still be on its way when the process has exited.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
    await until('listening on', () => output, 30_000)
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(output)?.[1])
    await getOnNewConnection(port, '/crash')
    await until('on its own; replacing it', () => output, 10_000)
    // The replacement is forked after DEFAULTS.cluster.respawnDelay; the other worker serves meanwhile.
    expect(await getOnNewConnection(port, '/pid')).toMatch(/^\d+$/)
    const first = /workers ([\d,]+)/.exec(output)?.[1]?.split(',') ?? []
    const deadline = performance.now() + DEFAULTS.cluster.respawnDelay + 20_000
    let replacement: string | undefined
    while (replacement === undefined && performance.now() < deadline) {
      const pid = await getOnNewConnection(port, '/pid')
      if (!first.includes(pid)) replacement = pid
      else await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(replacement).toBeDefined()
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(output).toMatch(/worker \d exited \(3\) on its own; replacing it/)
    expect(output).toMatch(new RegExp(`cluster\\s+ok .*workers=2 .*"worker 3"="pid ${replacement} ok`))
  }, 60_000)

  it('throws a TypeError for bad options, and refuses to run in the wrong process', () => {
    expect(() => clusterPrimary({ workers: 0 })).toThrow(
      /^Expected `workers` of `clusterPrimary\(\)` to be an integer from 1 to 1024/,
    )
    expect(() => clusterPrimary({ reloadOn: 'HUP' as never })).toThrow(/`reloadOn`/)
    expect(() => clusterPrimary({ readyTimeout: -1 })).toThrow(/`readyTimeout`/)
    expect(() => clusterPrimary({ listening: 'yes' as never })).toThrow(/`listening`/)
    expect(() => clusterPrimary({ forks: 2 } as never)).toThrow(/^Unknown option `forks`/)
    expect(() => clusterPrimary({ logger: {} as never })).toThrow(/`logger`/)
    expect(() => clusterWorker({} as never)).toThrow(/^Expected `lifecycle` of `clusterWorker\(\)`/)
    const lifecycle = new Lifecycle({ logger: false })
    expect(() => clusterWorker(lifecycle, { exit: 1 as never })).toThrow(/`exit`/)
    expect(() => clusterWorker(lifecycle)).toThrow(InvalidStateError)
    expect(() => clusterWorker(lifecycle)).toThrow(/runs in a `node:cluster` worker/)
  })

  it('reload() before the start is refused, and the component registers like any other', async () => {
    const primary = clusterPrimary({ workers: 1, logger: false })
    await expect(primary.reload()).rejects.toThrow(/has not started/)
    expect(primary.workers).toEqual([])
    const lifecycle = new Lifecycle({ logger: false })
    const off = lifecycle.register(primary)
    expect(lifecycle.checkBudgets()).toEqual([])
    off()
  })
})
