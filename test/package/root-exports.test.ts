import { existsSync, readFileSync } from 'node:fs'
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
    // A saved report (JSON, a pino record, a log) back into a report; the Prometheus snapshot.
    expect(Object.keys(report).sort()).toEqual(['formatPrometheus', 'reportFromJSON'])
  })

  it('one DEFAULTS: no entry point exports another defaults object', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>
    }
    const names: string[] = []
    for (const key of Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json')) {
      const file = `../../src/${key === './report' ? 'report' : key.slice(2)}/index.ts`
      const candidates = [file, `../../src/adapters/${key.slice(2)}/index.ts`]
      const found = candidates.find((candidate) => existsSync(new URL(candidate, import.meta.url)))
      expect(found, `source of ${key}`).toBeDefined()
      const entry = (await import(found as string)) as Record<string, unknown>
      names.push(...Object.keys(entry).filter((name) => /DEFAULTS/.test(name)))
    }
    expect(names).toEqual([])
    expect(Object.keys(root.DEFAULTS)).toEqual(
      expect.arrayContaining([
        'http',
        'health',
        'workers',
        'adapters',
        'fastify',
        'nestjs',
        'cluster',
        'testing',
      ]),
    )
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
