import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { readReport } from '../../src/cli/read-report.js'
import { Lifecycle, type ShutdownReport } from '../../src/index.js'
import { formatHTML, reportFromJSON } from '../../src/report/index.js'
import { sleep } from '../core/helpers.js'
import { runFixture } from '../process/run-fixture.js'
import { interruptedStart } from '../report/fixtures.js'

const cli = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url))

/**
 * The CLI as its own process. Not spawnSync: a worker blocked past 60 s (a busy machine) misses
 * vitest's RPC deadline ("Timeout calling onTaskUpdate") even though every test passes.
 */
function run(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...env } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    env: { ...env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  child.stdin.end(options.input)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function saved(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gl-cli-'))
  const file = join(dir, 'report.json')
  writeFileSync(file, JSON.stringify(interruptedStart()))
  return { dir, file }
}

describe('npx graceful-lifecycle', { timeout: 60_000 }, () => {
  test('view report.json writes a self-contained page beside it', async () => {
    const { dir, file } = saved()
    const { code, stderr } = await run(['view', file])
    expect(code).toBe(0)
    const page = join(dir, 'report.html')
    expect(stderr).toContain(`wrote ${page}`)
    const html = readFileSync(page, 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<svg')
    expect(html).toContain('data-hook="migrate"')
    // The errors of the saved report print as messages, as in the live one.
    expect(html).toContain('pool.end failed')
    expect(html).toBe(formatHTML(interruptedStart()))
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/)
  })

  test('-o chooses the file, - writes to standard output, a pino log works as input', async () => {
    const { dir } = saved()
    const log = join(dir, 'app.log')
    const record = (report: unknown) =>
      JSON.stringify({ level: 30, msg: 'graceful-lifecycle: stopped', report })
    writeFileSync(log, `{"level":30,"msg":"hello"}\n${record(interruptedStart())}\nnot json\n`)
    const out = join(dir, 'page.html')
    expect((await run(['view', log, '-o', out])).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('data-hook="http"')
    const piped = await run(['view', '-', '-o', '-'], { input: JSON.stringify(interruptedStart()) })
    expect(piped.code).toBe(0)
    expect(piped.stdout).toMatch(/^<!doctype html>/)
  })

  test('view reads what the default console logger printed: a real stop, its output saved as a log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-cli-'))
    const json = join(dir, 'report.json')
    const service = runFixture('console-stop', [json])
    await service.ready
    service.kill('SIGTERM')
    await service.exit
    // As `node app.js > app.log 2>&1` keeps it: a stop that is not ok is printed on stderr.
    const output = service.stdout() + service.stderr()
    expect(output).toContain('graceful-lifecycle: stopped in')
    const log = join(dir, 'app.log')
    writeFileSync(log, output)
    const real = reportFromJSON(JSON.parse(readFileSync(json, 'utf8')))
    const read = readReport(log)
    expect(shape(read)).toEqual(shape(real))
    // Numbers as printed: a tenth of a ms below 10 ms, whole ms above (plus a float's last bit:
    // 1.35 printed as 1.4 is 0.050000000000000044 away, seen on CI's Node 24 run).
    const near = (a: number, b: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual((Math.abs(b) < 10 ? 0.05 : 0.5) + 1e-9)
    near(read.durationMs, real.durationMs)
    read.phases.forEach((phase, p) => {
      near(phase.startMs, real.phases[p]?.startMs ?? Number.NaN)
      near(phase.durationMs, real.phases[p]?.durationMs ?? Number.NaN)
      phase.hooks.forEach((hook, h) => {
        near(hook.durationMs, real.phases[p]?.hooks[h]?.durationMs ?? Number.NaN)
      })
    })

    const page = join(dir, 'page.html')
    expect(await run(['view', log, '-o', page])).toMatchObject({ code: 0 })
    const html = readFileSync(page, 'utf8')
    for (const name of ['http server', 'slow', 'db', 'multi', 'fields', 'notes'])
      expect(html).toContain(`data-hook="${name}"`)
    // Every phase, also those after a message over several lines (before: the table ended there).
    expect(read.phases.map((phase) => phase.priority)).toEqual(real.phases.map((phase) => phase.priority))
    expect(read.phases.flatMap((phase) => phase.hooks).find((hook) => hook.name === 'notes')).toMatchObject({
      name: 'notes',
      details: {
        note: 'a b',
        count: '3',
        quote: 'say "hi"',
        empty: '',
        'odd key': 1,
        nested: { text: 'x; y=1 z' },
      },
    })
    expect(html).toContain('pool.end failed; 2 clients busy')
    // The overrun reads back as printed (before: worked out again from the rounded duration). A
    // timer that fired within 0.05 ms of the budget prints none: then none reads back either.
    const printedOver = / slow +timeout .*?([\d.]+) ms over its budget/.exec(output)?.[1]
    const slow = read.phases.flatMap((phase) => phase.hooks).find((hook) => hook.name === 'slow')
    const readOver = (slow?.durationMs ?? 0) - (slow?.budgetMs ?? 0)
    if (printedOver === undefined) expect(readOver).toBeLessThanOrEqual(0.05)
    else expect(readOver).toBeCloseTo(Number(printedOver), 6)
    // The page is read by people: a message keeps its line breaks there (the table quotes it).
    const multi = /<tr data-hook="multi">.*?<\/tr>/s.exec(html)?.[0]
    expect(multi).toContain('<td>first line\nsecond line\n  at stack-like; exit=')

    // What a log shipper adds before each line (a time, a container) does not hide it.
    const shipped = join(dir, 'shipped.log')
    writeFileSync(
      shipped,
      output
        .split('\n')
        .map((line) => `2026-12-04T16:00:00.000Z app-7d9c[1]: ${line}`)
        .join('\n'),
    )
    expect(shape(readReport(shipped))).toEqual(shape(real))
  })

  test('a stop whose reason is an error over several lines: the headline stays one line and reads back', async () => {
    const printed: string[] = []
    const write = (text: unknown) => {
      printed.push(String(text))
    }
    const logger = { info: write, warn: write, error: write, debug: write }
    for (const message of [
      'connect ECONNREFUSED\n    at pool.connect (pg.js:1:1)',
      '"quoted" at the start',
    ]) {
      printed.length = 0
      const lifecycle = new Lifecycle({ logger })
      lifecycle.onStop('db', () => {})
      const report = await lifecycle.stop({ type: 'error', error: new Error(message) })
      const text = printed.join('\n')
      const title = text.split('\n').find((line) => line.includes('graceful-lifecycle: stopped in'))
      expect(title).toMatch(/\): ok$/)
      const dir = mkdtempSync(join(tmpdir(), 'gl-cli-'))
      writeFileSync(join(dir, 'app.log'), text)
      const read = readReport(join(dir, 'app.log'))
      expect(read.reason).toMatchObject({ type: 'error', error: { message } })
      expect(shape(read).phases).toEqual(shape(report).phases)
    }
  })

  test('--open hands the page to $BROWSER and returns', async () => {
    const { dir, file } = saved()
    const seen = join(dir, 'opened.txt')
    const browser = join(dir, 'browser.sh')
    writeFileSync(browser, `#!/bin/sh\necho "$1" > ${JSON.stringify(seen)}\n`)
    chmodSync(browser, 0o755)
    const { code } = await run(['view', file, '--open'], { env: { BROWSER: browser } })
    expect(code).toBe(0)
    for (let i = 0; i < 400 && !existsSync(seen); i++) await sleep(50) // the browser runs detached
    expect(readFileSync(seen, 'utf8').trim()).toBe(join(dir, 'report.html'))
  })

  test('trace and timeline', async () => {
    const { dir, file } = saved()
    expect((await run(['trace', file])).code).toBe(0)
    const trace = JSON.parse(readFileSync(join(dir, 'report.trace.json'), 'utf8'))
    expect(trace.traceEvents.some((event: { name: string }) => event.name === 'migrate')).toBe(true)
    const { code, stdout } = await run(['timeline', file, '-w', '40'])
    expect(code).toBe(0)
    expect(stdout).toContain(interruptedStart().toTimeline({ width: 40 }))
    expect(stdout).toContain(interruptedStart().toString())
  })

  test('wrong input: a clear message and a non-zero exit', async () => {
    const { dir, file } = saved()
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('no command given') })
    expect(await run(['show', file])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command `show`'),
    })
    expect(await run(['view'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no report file given'),
    })
    expect(await run(['view', file, '--opne'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'--opne'"),
    })
    expect(await run(['timeline', file, '-w', '0'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--width'),
    })
    expect(await run(['view', join(dir, 'missing.json')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ENOENT'),
    })
    const bad = join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({ reason: { type: 'manual' }, startedAt: 1, durationMs: 1, phases: [{ hooks: 3 }] }),
    )
    expect(await run(['view', bad])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /Expected `phases\[0\]\.priority` of `reportFromJSON\(\)` to be a finite number/,
      ),
    })
    const log = join(dir, 'plain.log')
    writeFileSync(log, 'hello\nworld\n')
    expect(await run(['view', log])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('holds no report'),
    })
    expect(await run(['--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: graceful-lifecycle'),
    })
  })
})

/** What the console prints exactly: everything but the unrounded numbers. */
function shape(report: ShutdownReport) {
  return {
    reason: report.reason,
    ok: report.ok,
    phases: report.phases.map(({ kind, name, priority, hooks }) => ({
      kind,
      name,
      priority,
      hooks: hooks.map((hook) => ({
        name: hook.name,
        status: hook.status,
        budgetMs: hook.budgetMs,
        error: hook.error instanceof Error ? hook.error.message : hook.error,
        details: hook.details,
      })),
    })),
  }
}
