import { readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as root from '../../src/index.js'
import * as report from '../../src/report/index.js'

describe('the root entry is the core: what DESIGN.md promises, the rest internal', () => {
  it('exports exactly these values (types are checked by .ci/check-package)', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        'DEFAULTS',
        'ErrorCode',
        'CheckAbandonedError',
        'CheckFalseError',
        'CheckTimeoutError',
        'ClusterWorkerError',
        'MissingPeerError',
        'TestSetupError',
        'ForcedStopError',
        'HookTimeoutError',
        'InvalidArgumentError',
        'InvalidStateError',
        'Lifecycle',
        'LifecycleError',
        'NonErrorThrownError',
        'Priority',
        'ShutdownError',
        'SourceCallError',
        'StartError',
        'StopTimeoutError',
        'StoppingError',
        'TrackedWorkError',
        'WorkerCrashedError',
      ].sort(),
    )
  })

  it('the report tools are graceful-lifecycle/report, not the root', () => {
    // The printers a running service does not need (HTML, trace, Prometheus), and a saved report
    // (JSON, a pino record, a log) back into a report.
    expect(Object.keys(report).sort()).toEqual([
      'formatHTML',
      'formatPrometheus',
      'formatTrace',
      'reportFromJSON',
    ])
  })

  it('loads no integration: the import graph of src/index.ts stays out of http, health, workers, adapters', () => {
    const seen = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
        /^(?:import|export)[^'"]*from '(\.[^']+)'/gm,
      )) {
        visit(resolve(dirname(file), (specifier as string).replace(/\.js$/, '.ts')))
      }
    }
    const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url))
    visit(entry)
    const files = [...seen].map((file) => relative(dirname(entry), file))
    expect(files).toContain('core/lifecycle.ts')
    expect(files.filter((file) => /^(http|health|workers|adapters)\//.test(file))).toEqual([])
  })
})
