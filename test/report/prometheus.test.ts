import { describe, expect, test } from 'vitest'
import { formatPrometheus } from '../../src/report/index.js'
import { interruptedStart, realReport } from './fixtures.js'

/** The text exposition format's grammar, line by line (no timestamps: collectors refuse them). */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\} (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/

function parse(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  expect(text.endsWith('\n')).toBe(true)
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  const typed = new Set<string>()
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ')) continue
    const type = line.match(/^# TYPE (\S+) gauge$/)
    if (type) {
      expect(typed.has(type[1] as string)).toBe(false)
      typed.add(type[1] as string)
      continue
    }
    const match = line.match(SAMPLE)
    expect(match, line).not.toBeNull()
    const [, name = '', labels = '', value = ''] = match ?? []
    expect(typed.has(name), `${name} typed before its samples`).toBe(true)
    samples.push({
      name,
      labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])),
      value: Number(value),
    })
  }
  const series = samples.map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`)
  expect(new Set(series).size).toBe(series.length)
  return samples
}

describe('formatPrometheus(report)', () => {
  test('the stop and every hook as gauges in seconds, with status and budget', async () => {
    const report = await realReport()
    const samples = parse(formatPrometheus(report))
    const one = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    expect(one('graceful_lifecycle_stop_duration_seconds')[0]?.value).toBeCloseTo(report.durationMs / 1000, 6)
    expect(one('graceful_lifecycle_stop_ok')[0]).toMatchObject({ labels: { reason: 'signal' }, value: 0 })
    expect(one('graceful_lifecycle_stop_started_seconds')[0]?.value).toBeCloseTo(report.startedAt / 1000, 3)
    const http = one('graceful_lifecycle_hook_duration_seconds', { hook: 'http' })
    expect(http).toHaveLength(1)
    expect(http[0]?.labels).toEqual({ hook: 'http', run: 'stop', priority: '200', status: 'timeout' })
    expect(one('graceful_lifecycle_hook_budget_seconds', { hook: 'http' })[0]?.value).toBe(0.04)
    expect(one('graceful_lifecycle_hook_duration_seconds')).toHaveLength(5)
  })

  test('label values are escaped; a start phase is its own run', () => {
    const report = interruptedStart()
    ;(report.phases[1]?.hooks[0] as { name: string }).name = 'we"ird\\name\nx'
    const samples = parse(formatPrometheus(report))
    expect(samples.some((s) => s.labels.hook === 'we\\"ird\\\\name\\nx')).toBe(true)
    expect(samples.find((s) => s.labels.hook === 'migrate')?.labels.run).toBe('start')
  })
})
