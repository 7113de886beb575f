import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { clusterPrimary } from '../../src/cluster/index.js'
import { until } from '../cluster/support.js'

const fixture = fileURLToPath(new URL('../fixtures/cluster/server.ts', import.meta.url))

interface Primary {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function primary(env: Record<string, string>): Primary {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  )
  return { child, output: () => output, exit }
}

function kill(p: Primary, signal: NodeJS.Signals): void {
  process.kill(p.child.pid ?? 0, signal)
}

describe.concurrent('issue 18.5: SIGHUP never kills the cluster primary', () => {
  test('SIGHUP during the stop (a terminal closing during the drain): the stop finishes, exit 0', async () => {
    const p = primary({ SLOW_STOP: '1500' })
    await until('listening on', p.output, 30_000)
    kill(p, 'SIGTERM')
    await until('received SIGTERM', p.output, 10_000)
    kill(p, 'SIGHUP')
    const exit = await p.exit
    expect(exit).toEqual({ code: 0, signal: null })
    expect(p.output()).toContain('SIGHUP during the stop: ignored')
    expect(p.output()).toMatch(/stopped in .*\(signal SIGTERM\): ok/)
  }, 60_000)

  test('SIGHUP before the workers are ready: ignored, the start goes on', async () => {
    const p = primary({ SLOW_START: '1500' })
    await until('primary up', p.output, 30_000)
    kill(p, 'SIGHUP')
    await until('listening on', p.output, 30_000)
    expect(p.output()).toContain('SIGHUP before the workers are ready: ignored')
    kill(p, 'SIGTERM')
    expect(await p.exit).toEqual({ code: 0, signal: null })
  }, 60_000)

  test('a reload has a budget: an old worker that never exits is killed after `reloadTimeout`', async () => {
    const p = primary({ HANG: '1', RELOAD_TIMEOUT: '1000', CLUSTER_TIMEOUT: '2000' })
    await until('listening on', p.output, 30_000)
    const sent = performance.now()
    kill(p, 'SIGHUP')
    await until('reloaded:', p.output, 15_000)
    expect(performance.now() - sent).toBeLessThan(15_000)
    expect(p.output()).toMatch(/worker 1 did not stop within 1000 ms \(`reloadTimeout`\): killed/)
    kill(p, 'SIGTERM')
    await p.exit
  }, 60_000)
})

describe('issue 18.9: clusterPrimary() refuses what could never work, at the call', () => {
  test('reloadOn SIGKILL, a misspelt signal, and env values that are not strings', () => {
    expect(() => clusterPrimary({ reloadOn: 'SIGKILL' as never })).toThrow(
      /^Expected `reloadOn` of `clusterPrimary\(\)` to be one of `SIGTERM`, .*, or `false`, got "SIGKILL" \(string\)$/,
    )
    expect(() => clusterPrimary({ reloadOn: 'SIGFOO' as never })).toThrow(/`reloadOn`.*got "SIGFOO"/)
    expect(() => clusterPrimary({ env: { PORT: 3000 } as never })).toThrow(
      'Expected `env.PORT` of `clusterPrimary()` to be a string, got `3000` (number)',
    )
    expect(() => clusterPrimary({ env: { X: undefined } as never })).toThrow(/`env.X`/)
    expect(() => clusterPrimary({ reloadTimeout: 0 })).toThrow(/`reloadTimeout`/)
    try {
      clusterPrimary({ reloadOn: 'SIGKILL' as never })
    } catch (error) {
      expect(error).toMatchObject({ name: 'InvalidArgumentError', code: 'GL_ERR_INVALID_ARGUMENT' })
    }
  })
})
