import { describe, expect, test } from 'vitest'
// The renderers behind the report's methods (the root entry exports the methods, not these).
import { formatHTML, formatTable, formatTimeline, formatTrace } from '../../src/core/report/index.js'
import { InvalidArgumentError } from '../../src/index.js'
import { formatPrometheus } from '../../src/report/index.js'

describe('the report functions refuse what is not a report', () => {
  test.each([
    ['formatHTML()', formatHTML],
    ['formatTrace()', formatTrace],
    ['formatPrometheus()', formatPrometheus],
    ['formatTable()', formatTable],
    ['formatTimeline()', formatTimeline],
  ] as const)('%s', (name, format) => {
    for (const bad of [undefined, null, 'report', { phases: 'x', durationMs: 1 }, { phases: [] }]) {
      const call = () => (format as (report: unknown) => unknown)(bad)
      expect(call).toThrow(InvalidArgumentError)
      expect(call).toThrow(
        new RegExp(`^Expected \`report\` of \`${name.replace(/[()]/g, '\\$&')}\` to be a ShutdownReport`),
      )
    }
  })
})
