import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { describe, expect, test } from 'vitest'
import { Priority } from '../../src/index.js'
import { instrumentLifecycle } from '../../src/otel/index.js'
import { defined, quiet, settle, sleep } from '../core/helpers.js'
import { sdk } from './sdk.js'

const fixture = fileURLToPath(new URL('./fixtures/sigterm.ts', import.meta.url))

/** Runs the fixture, sends SIGTERM once it is ready, and returns its exit and the spans it exported. */
async function sigterm(args: string[] = []): Promise<{
  code: number | null
  stdout: string
  spans: { name: string; attributes: Record<string, unknown> }[]
}> {
  const file = join(mkdtempSync(join(tmpdir(), 'gl-otel-')), 'spans.jsonl')
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let stdout = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  // 'close', not 'exit': the output may still be on its way when the process has exited.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve())
    void exited.then(() => reject(new Error(`the fixture exited before it was ready: ${stderr}`)))
  })
  child.kill('SIGTERM')
  const code = await exited
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {}
  return {
    code,
    stdout,
    spans: text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  }
}

describe('graceful-lifecycle/otel: the flush in the TELEMETRY phase', { timeout: 60_000 }, () => {
  test('a child process on SIGTERM sends its stop spans before it exits', async () => {
    const { code, stdout, spans } = await sigterm()
    expect(code).toBe(0)
    expect(stdout).toContain('stopped ok=true')
    const names = spans.map((span) => span.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'graceful-lifecycle stop',
        'phase INGRESS',
        'hook http',
        'phase RESOURCES',
        'hook db',
        'phase TELEMETRY',
        'hook otel',
      ]),
    )
    const stop = defined(spans.find((span) => span.name === 'graceful-lifecycle stop'))
    expect(stop.attributes).toMatchObject({
      'graceful_lifecycle.reason': 'signal',
      'graceful_lifecycle.signal': 'SIGTERM',
      'graceful_lifecycle.ok': true,
      'graceful_lifecycle.ended_early': true,
    })
  })

  test('without the flush the same process exits with its spans unsent (the batch waits a minute)', async () => {
    const { code, stdout, spans } = await sigterm(['--no-flush'])
    expect(code).toBe(0)
    expect(stdout).toContain('stopped ok=true')
    expect(spans).toEqual([])
  })

  test('in process: after the stop resolves, the batch already holds every span of it, the TELEMETRY phase included', async () => {
    const exporter = new InMemorySpanExporter()
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
    })
    const otel = sdk()
    const lifecycle = quiet()
    lifecycle.onStop('metrics-push', () => sleep(20), { priority: Priority.TELEMETRY })
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    instrumentLifecycle(lifecycle, {
      tracer: tracerProvider.getTracer('t'),
      meter: otel.meter,
      flush: [tracerProvider, otel.meterProvider],
    })
    const report = await lifecycle.stop()
    const names = exporter.getFinishedSpans().map((span) => span.name)
    // The other TELEMETRY hook ran beside the flush; the flush waited for it.
    expect(names).toEqual(
      expect.arrayContaining([
        'hook metrics-push',
        'hook otel',
        'phase TELEMETRY',
        'graceful-lifecycle stop',
      ]),
    )
    const telemetry = defined(report.phases.find((phase) => phase.name === 'TELEMETRY'))
    const otelHook = defined(telemetry.hooks.find((hook) => hook.name === 'otel'))
    expect(otelHook).toMatchObject({ status: 'ok', details: { flushed: 2 } })
    // The stop's duration was exported with that same flush.
    expect((await otel.points('graceful_lifecycle.stop.duration')).map((point) => point.value.count)).toEqual(
      [1],
    )
    await tracerProvider.shutdown()
    await otel.shutdown()
  })

  test('a flush that hangs is bounded by the hook budget, and the stop says so', async () => {
    const otel = sdk()
    const lifecycle = quiet()
    instrumentLifecycle(lifecycle, {
      tracer: otel.tracer,
      meter: otel.meter,
      flush: [{ forceFlush: () => new Promise(() => {}) }],
      flushTimeout: 30,
    })
    const { error } = await settle(lifecycle.stop())
    const hook = (
      error as { report: { phases: { hooks: { name: string; status: string }[] }[] } }
    ).report.phases
      .flatMap((phase) => phase.hooks)
      .find((h) => h.name === 'otel')
    expect(hook?.status).toBe('timeout')
  })
})
