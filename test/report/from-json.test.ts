import { describe, expect, test } from 'vitest'
import { formatHTML, formatTrace, reportFromJSON } from '../../src/report/index.js'
import { interruptedStart, realReport } from './fixtures.js'

describe('reportFromJSON()', () => {
  test('a saved report comes back with every method, rendering as the live one did', async () => {
    for (const live of [await realReport(), interruptedStart()]) {
      const revived = reportFromJSON(JSON.parse(JSON.stringify(live)))
      expect(revived.toJSON()).toEqual(live.toJSON())
      expect(revived.toString()).toBe(live.toString())
      expect(revived.toTimeline()).toBe(live.toTimeline())
      expect(formatHTML(revived)).toBe(formatHTML(live))
      expect(formatTrace(revived)).toEqual(formatTrace(live))
    }
  })

  test('a pino record is read through its report field', () => {
    const live = interruptedStart()
    const record = { level: 50, msg: 'graceful-lifecycle: stopped in 120 ms (not ok)', report: live.toJSON() }
    expect(reportFromJSON(record).toJSON()).toEqual(live.toJSON())
  })

  test('malformed input is refused with the field named', () => {
    const good = interruptedStart().toJSON()
    expect(() => reportFromJSON(null)).toThrow(
      /Expected `json` of `reportFromJSON\(\)` to be an object, got `null`/,
    )
    expect(() => reportFromJSON({ ...good, phases: 'x' })).toThrow(/`phases` .* an array/)
    expect(() => reportFromJSON({ ...good, reason: { type: 'nope' } })).toThrow(/`reason.type`/)
    const phases = structuredClone(good.phases)
    ;(phases[0]?.hooks[0] as { status: string }).status = 'fine'
    expect(() => reportFromJSON({ ...good, phases })).toThrow(/`phases\[0\].hooks\[0\].status`/)
    expect(() => reportFromJSON({ ...good, startedAt: '1' })).toThrow(/`startedAt`/)
  })
})
