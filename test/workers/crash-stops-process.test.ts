import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ShutdownReportJSON } from '../../src/index.js'

const fixture = fileURLToPath(new URL('../fixtures/workers/crash-stops.ts', import.meta.url))

describe("a worker with onCrash: 'stop' in a real process", () => {
  it('stops the whole lifecycle when its loop crashes: the consumer drains, the report names the crash, the process ends on its own', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    const line = stdout.split('\n').find((l) => l.startsWith('report '))
    const report = JSON.parse(line?.slice(7) ?? 'null') as ShutdownReportJSON
    expect(report.reason).toMatchObject({ type: 'error' })
    const hooks = report.phases.flatMap((phase) => phase.hooks)
    const poller = hooks.find((hook) => hook.name === 'poller')
    expect(poller).toMatchObject({ status: 'error', details: { exit: 'crashed' } })
    expect(poller?.error).toMatchObject({ name: 'WorkerCrashedError', code: 'GL_ERR_WORKER_CRASHED' })
    expect(poller?.error?.message).toContain('poller lost its connection')
    const jobs = hooks.find((hook) => hook.name === 'jobs')
    expect(jobs).toMatchObject({ status: 'ok', details: { drained: 4, abandoned: 0 } })
  })
})
